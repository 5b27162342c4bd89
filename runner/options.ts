// The options of a run, typed and defaulted once. Every command builds its RunOptions through
// `resolveOptions`, and every --help shows the defaults from this table; nothing downstream
// applies a default again.
import os from 'node:os';
import type { CommonOptions, LoadMode, LoadOptions } from '../format/schema.js';
import type { ServerName } from '../servers/registry.js';
import { STRATEGY_NAMES, type StrategyName } from '../strategies/registry.js';
import { newSeed } from '../strategies/rng.js';

/** The result file's options, with strategy and server names narrowed to the ones this version runs. */
export type RunOptions = Omit<CommonOptions, 'policies' | 'server'> & { policies: StrategyName[]; server: ServerName } & LoadOptions;

/** The options of one load mode (`LoadOf<'open'>` has `rate`). */
export type LoadOf<M extends LoadMode> = Extract<RunOptions, { load: M }>;

/** Defaults of the options every load mode has. Functions are evaluated per run. */
export const DEFAULTS = {
  policies: STRATEGY_NAMES,
  workers: (): number => os.availableParallelism(),
  server: 'fastify' satisfies ServerName,
  work: 'hello',
  host: '127.0.0.1',
  port: 0,
  backlog: 4096,
  seed: newSeed,
  roundTimeoutMs: 10_000,
  out: 'results',
  runs: 1,
  /** Load-generator processes: one per 8 cores (1, the runner itself, on small machines). */
  clients: (): number => Math.max(1, Math.floor(os.availableParallelism() / 8)),
  load: 'burst' satisfies LoadMode,
} as const;

/** Per load mode, its own settings' defaults (timed loads record `rounds: 1`: one reconciled round). */
export const LOAD_DEFAULTS: { readonly [M in LoadMode]: Omit<LoadOf<M>, keyof CommonOptions | 'load'> } = {
  burst: { connections: 1000, rounds: 20 },
  sustained: { connections: 100, rounds: 1, duration: 10 },
  churn: { connections: 100, rounds: 1, duration: 10 },
  open: { connections: 100, rounds: 1, duration: 10, rate: 400 },
};

/** What a caller may set; anything absent takes its default. Load settings a mode does not have are ignored. */
export interface OptionsInput extends Partial<Omit<CommonOptions, 'policies' | 'server'>> {
  policies?: StrategyName[];
  server?: ServerName;
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
  const modeDefaults = LOAD_DEFAULTS[mode] as Partial<Record<LoadKey, number>>;
  const load: Partial<Record<LoadKey, number>> = {};
  for (const key of Object.keys(modeDefaults) as LoadKey[])
    load[key] = mode === 'burst' || key !== 'rounds' ? (input[key] ?? modeDefaults[key]) : 1;
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
    runs: input.runs ?? DEFAULTS.runs,
    clients: input.clients ?? (input.target === undefined ? DEFAULTS.clients() : 1),
    ...(input.node !== undefined && { node: input.node }),
    ...(input.target !== undefined && { target: input.target }),
    ...(input.targetStats !== undefined && { targetStats: input.targetStats }),
    ...(input.fault !== undefined && { fault: input.fault }),
    ...(input.strategyFile !== undefined && { strategyFile: input.strategyFile }),
    ...(input.clientAddrs !== undefined && input.clientAddrs > 1 && { clientAddrs: input.clientAddrs }),
    ...(input.respawn === true && { respawn: true }),
    // The keys come from LOAD_DEFAULTS[mode], typed per mode: this is that mode's variant.
    ...({ load: mode, ...load } as LoadOptions),
  };
}

/** A load setting's defaults in words for --help: `1000 burst, 100 sustained/churn`. */
export function loadDefaultText(key: LoadKey, modes: readonly LoadMode[]): string {
  const byValue = new Map<number, LoadMode[]>();
  for (const m of modes) {
    const v = (LOAD_DEFAULTS[m] as Partial<Record<LoadKey, number>>)[key];
    if (v !== undefined) byValue.set(v, [...(byValue.get(v) ?? []), m]);
  }
  if (byValue.size === 1) return String([...byValue.keys()][0]);
  return [...byValue].map(([v, ms]) => `${v} ${ms.join('/')}`).join(', ');
}
