// `npm run simulate`'s flags -> a complete, validated request (perf:sim builds its checks with it).
import { msg, UsageError } from '../../format/errors.js';
import { checkWritable } from '../../format/io.js';
import { LOAD_MODES, type LoadMode } from '../../format/loads.js';
import { LOADS } from '../../runner/load/index.js';
import { parseWork } from '../../servers/work.js';
import { WAKE_ORDERS, type WakeOrder } from '../../sim/placement.js';
import { resolvePolicies, STRATEGY_NAMES, validPolicyList } from '../../strategies/registry.js';
import { newSeed } from '../../strategies/rng.js';
import { intFlag } from './flags.js';
import { calibrationOf } from './sim-calibration.js';
import { fitOverhead, type SimRequest } from './sim-result.js';

const num = (flag: string, text: unknown, fallback: number, min: number, max: number): number => {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!(typeof text === 'string' && text.trim() !== '' && Number.isFinite(v) && v >= min && v <= max))
    throw new UsageError(`invalid --${flag} '${String(text)}': expected a number from ${min} to ${max}`);
  return v;
};

/** Load flags and the modes that take them (open's rate-free form takes --utilization and --requests). */
const LOAD_FLAGS = {
  connections: ['burst', 'churn', 'sustained'],
  rounds: ['burst'],
  duration: ['churn', 'sustained', 'open'],
  rate: ['open'],
  utilization: ['open'],
  requests: ['open'],
} as const satisfies Record<string, readonly LoadMode[]>;

const writable = (dir: string): string => {
  checkWritable(dir);
  return dir;
};

/** simulate's flags -> a complete request; bad input: UsageError naming the value. */
export function parseSim(values: Record<string, unknown>): SimRequest & { strategyFile?: string } {
  const str = (k: string): string | undefined => (values[k] === undefined ? undefined : String(values[k]));
  const like = values.like === undefined ? undefined : calibrationOf(String(values.like));
  if (like)
    for (const f of ['load', 'work', 'ideal', 'primary-us', 'overhead-us', 'client-us'] as const)
      if (values[f] !== undefined) throw new UsageError(`--${f} does not go with --like (the measured run sets it)`);
  const ideal = values.ideal === true;
  for (const f of ['primary-us', 'overhead-us', 'client-us', 'ipc-us', 'report-us', 'accept-us', 'cores'] as const)
    if (ideal && values[f] !== undefined) throw new UsageError(`--${f} does not go with --ideal (it turns every cost off)`);
  const load = (like?.load ?? str('load') ?? 'open') as LoadMode;
  if (!(LOAD_MODES as readonly string[]).includes(load)) throw new UsageError(msg.load(load, LOAD_MODES.join(', ')));
  for (const [flag, modes] of Object.entries(LOAD_FLAGS))
    if (values[flag] !== undefined && !(modes as readonly string[]).includes(load)) throw new UsageError(msg.notForLoad(flag, load, modes));
  if (values.rate !== undefined && (values.utilization !== undefined || values.requests !== undefined))
    throw new UsageError(
      `--${values.utilization !== undefined ? 'utilization' : 'requests'} does not go with --rate (the rate sets the load)`,
    );
  // As bench: --strategy-file without --policy simulates the user's strategy alone.
  const { names, unknown } = resolvePolicies(str('policy') ?? (values['strategy-file'] === undefined ? 'all' : ''));
  if (unknown.length > 0) throw new UsageError(msg.policy(unknown[0], validPolicyList()));
  const workText = like?.work ?? str('work') ?? 'exp:1';
  const work = parseWork(workText);
  const us = (f: 'overhead-us' | 'primary-us' | 'client-us' | 'ipc-us' | 'report-us' | 'accept-us', fallback = 0): number =>
    num(f, values[f], fallback, 0, 1e6) / 1000;
  const costs = { overheadMs: us('overhead-us'), primaryMs: us('primary-us'), clientMs: us('client-us') };
  if ((work.kind === 'hello' || work.kind === 'io') && !like && costs.overheadMs === 0)
    throw new UsageError(
      `--work ${work.kind} has no CPU of its own: give --overhead-us (a request's HTTP cost) or calibrate with --like RUN`,
    );
  const workers = intFlag('workers', str('workers'), like?.workers ?? 8, 1, 4096);
  const defaults = LOADS[load].defaults as { connections: number; rounds: number; duration?: number };
  // Calibrated at another worker count: the same utilization per worker, so an open loop's rate grows with the workers.
  const likeRate = like && load === 'open' ? (like.rate * workers) / like.workers : undefined;
  let policies = names;
  if (like) {
    const ran = names.filter((n) => like.strategies.has(n));
    policies = values.policy === undefined ? STRATEGY_NAMES.filter((n) => like.strategies.has(n)) : ran;
    if (policies.length === 0) throw new UsageError(`invalid --like '${String(values.like)}': it measured none of ${names.join(', ')}`);
  }
  const rate = values.rate !== undefined ? intFlag('rate', str('rate'), 1, 1, 10_000_000) : likeRate;
  const req: SimRequest & { strategyFile?: string } = {
    policies,
    ...(values['strategy-file'] !== undefined && { strategyFile: String(values['strategy-file']) }),
    workers,
    load,
    connections: intFlag('connections', str('connections'), like?.connections ?? defaults.connections, 1, 1_000_000),
    rounds: intFlag('rounds', str('rounds'), like?.rounds ?? defaults.rounds, 1, 100_000),
    duration: intFlag('duration', str('duration'), like?.duration || defaults.duration || 10, 1, 86_400),
    ...(rate !== undefined && { rate }),
    rho: num('utilization', values.utilization, 80, 1, 99) / 100,
    requests: intFlag('requests', str('requests'), 200_000, 1000, 100_000_000),
    work: workText,
    service: work.kind === 'exp' || work.kind === 'mixed' || work.kind === 'io' ? work.kind : 'fixed',
    serviceMs: work.kind === 'hello' ? 0 : work.ms,
    ...(work.kind === 'mixed' && { percent: work.percent }),
    costs,
    ipcMs: us('ipc-us', like ? 50 : 0),
    reportMs: us('report-us', like ? 200 : 0),
    acceptMs: us('accept-us'),
    cores: ideal
      ? Number.POSITIVE_INFINITY
      : num('cores', values.cores, like && workers === like.workers ? like.cores : workers + 2, 0.1, 65536),
    wake: (() => {
      const w = str('wake') ?? 'lifo';
      if (!(WAKE_ORDERS as readonly string[]).includes(w)) throw new UsageError(`unknown --wake '${w}' (valid: ${WAKE_ORDERS.join(', ')})`);
      return w as WakeOrder;
    })(),
    clientAddrs: intFlag('client-addrs', str('client-addrs'), like?.clientAddrs ?? 1, 1, 254),
    seed: intFlag('seed', str('seed'), newSeed(), 0, 2 ** 32 - 1),
    runs: intFlag('runs', str('runs'), 1, 1, 1000),
    ...(values.out !== undefined && { out: writable(String(values.out)) }),
    json: values.json === true,
    ...(like && { like }),
  };
  fitOverhead(req);
  return req;
}
