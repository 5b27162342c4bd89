// The options of a run, typed, parsed and defaulted once. Every command builds its RunOptions
// through `resolveOptions`, and every --help shows the defaults from this table; nothing
// downstream applies a default again or parses a value again: the work profile and the fault
// travel parsed, and only the result document holds them as text (`recordedOptions`).
import os from 'node:os';
import type { LoadMode, LoadOptions } from '../format/loads.js';
import type { CommonOptions, RecordedOptions } from '../format/schema.js';
import type { ServerName } from '../servers/registry.js';
import { formatWork, type WorkProfile } from '../servers/work.js';
import { STRATEGY_NAMES, type StrategyName } from '../strategies/registry.js';
import { newSeed } from '../strategies/rng.js';
import type { Fault } from './cluster/protocol.js';
import { faultText } from './faults.js';
import { LOADS } from './load/index.js';
import type { LoadFlag } from './load/types.js';

/** The options of a run: the result file's, with names narrowed to the ones this version runs and values parsed. */
export type RunOptions = Omit<CommonOptions, 'policies' | 'server' | 'work' | 'fault'> & {
  policies: StrategyName[];
  server: ServerName;
  work: WorkProfile;
  fault?: Fault;
} & LoadOptions;

/** Defaults of the options every load mode has (each mode's own are its LoadDef's). Functions are evaluated per run. */
export const DEFAULTS = {
  policies: STRATEGY_NAMES,
  workers: (): number => os.availableParallelism(),
  server: 'fastify' satisfies ServerName,
  work: { kind: 'hello' } as WorkProfile,
  host: '127.0.0.1',
  port: 0,
  backlog: 4096,
  seed: newSeed,
  roundTimeoutMs: 10_000,
  out: 'results',
  runs: 1,
  /** An A/B run (--baseline-*): pairs, enough for paired statistics (docs/verdicts.md). */
  abRuns: 12,
  /** Warm-up repetitions: one when there is more than one repetition or an A/B run (statistics), none for a single look. */
  warmup: (runs: number, ab: boolean): number => (runs >= 2 || ab ? 1 : 0),
  /** Load-generator processes: one per 8 cores (1, the runner itself, on small machines). */
  clients: (): number => Math.max(1, Math.floor(os.availableParallelism() / 8)),
  load: 'burst' satisfies LoadMode,
} as const;

/** What a caller may set; anything absent takes its default. Load settings a mode does not take are ignored. */
export interface OptionsInput extends Partial<Omit<CommonOptions, 'policies' | 'server' | 'work' | 'fault'>> {
  policies?: StrategyName[];
  server?: ServerName;
  work?: WorkProfile;
  fault?: Fault;
  load?: LoadMode;
  connections?: number;
  rounds?: number;
  duration?: number;
  rate?: number;
}

type LoadKey = 'connections' | 'rounds' | 'duration' | 'rate';

/** Complete, typed options from a partial input: the one place defaults are applied. */
export function resolveOptions(input: OptionsInput = {}): RunOptions {
  const mode = input.load ?? DEFAULTS.load;
  const def = LOADS[mode];
  const modeDefaults = def.defaults as Partial<Record<LoadKey, number>>;
  const load: Partial<Record<LoadKey, number>> = {};
  // A setting the mode takes no flag for keeps its default (a timed load's one round).
  for (const key of Object.keys(modeDefaults) as LoadKey[])
    load[key] = (def.flags as readonly LoadFlag[]).includes(key) ? (input[key] ?? modeDefaults[key]) : modeDefaults[key];
  return {
    policies: input.policies ?? [...DEFAULTS.policies],
    workers: input.workers ?? DEFAULTS.workers(),
    server: input.server ?? DEFAULTS.server,
    work: input.work ?? DEFAULTS.work,
    host: input.host ?? DEFAULTS.host,
    port: input.port ?? DEFAULTS.port,
    backlog: input.backlog ?? DEFAULTS.backlog,
    seed: input.seed ?? DEFAULTS.seed(),
    roundTimeoutMs: input.roundTimeoutMs ?? DEFAULTS.roundTimeoutMs,
    out: input.out ?? DEFAULTS.out,
    runs: input.runs ?? (input.baseline === undefined ? DEFAULTS.runs : DEFAULTS.abRuns),
    warmup:
      input.warmup ??
      DEFAULTS.warmup(input.runs ?? (input.baseline === undefined ? DEFAULTS.runs : DEFAULTS.abRuns), input.baseline !== undefined),
    ...(input.baseline !== undefined && { baseline: input.baseline }),
    clients: input.clients ?? (input.target === undefined ? DEFAULTS.clients() : 1),
    ...(input.node !== undefined && { node: input.node }),
    ...(input.target !== undefined && { target: input.target }),
    ...(input.targetStats !== undefined && { targetStats: input.targetStats }),
    ...(input.fault !== undefined && { fault: input.fault }),
    ...(input.strategyFile !== undefined && { strategyFile: input.strategyFile }),
    ...(input.app !== undefined && { app: input.app }),
    ...(input.clientAddrs !== undefined && input.clientAddrs > 1 && { clientAddrs: input.clientAddrs }),
    ...(input.respawn === true && { respawn: true }),
    // The keys come from the mode's own defaults, typed per mode: this is that mode's variant.
    ...({ load: mode, ...load } as LoadOptions),
  };
}

/** The options as the result document records them: the parsed values as their text. */
export function recordedOptions(o: RunOptions): RecordedOptions {
  const { work, fault, ...rest } = o;
  return { ...rest, work: formatWork(work), ...(fault !== undefined && { fault: faultText(fault) }) };
}

/** A load setting's defaults in words for --help: `1000 burst, 100 sustained/churn`. */
export function loadDefaultText(key: LoadKey, modes: readonly LoadMode[]): string {
  const byValue = new Map<number, LoadMode[]>();
  for (const m of modes) {
    const v = (LOADS[m].defaults as Partial<Record<LoadKey, number>>)[key];
    if (v !== undefined) byValue.set(v, [...(byValue.get(v) ?? []), m]);
  }
  if (byValue.size === 1) return String([...byValue.keys()][0]);
  return [...byValue].map(([v, ms]) => `${v} ${ms.join('/')}`).join(', ');
}
