// `npm run serve`: one strategy's cluster as a standalone server until Ctrl-C, --for S or stdin's
// end (runner/serve.ts).
// Prints the URL and the worker pids; the workers' own request and connection counts and shares
// every --every seconds and on exit. Binds 127.0.0.1 unless --host says otherwise, and then says so.
import { fstatSync, type Stats } from 'node:fs';
import { msg, RunError, UsageError } from '../../format/errors.js';
import { sharesText } from '../../reports/text.js';
import { killAllNow, stopAll } from '../../runner/cluster/handle.js';
import { useCodeSnapshot } from '../../runner/code-snapshot.js';
import { backlogWarning, readSomaxconn } from '../../runner/limits.js';
import { DEFAULTS } from '../../runner/options.js';
import { type ServeOptions, type ServeStats, serve } from '../../runner/serve.js';
import { loadApp } from '../../runner/user-app.js';
import { formatWork } from '../../servers/work.js';
import { singlePolicyList } from '../../strategies/registry.js';
import { appFlag, FLAGS as BENCH_FLAGS } from '../lib/bench-options.js';
import type { Command, FlagValues } from '../lib/command.js';
import {
  checkLoopback,
  isLoopback,
  localAddresses,
  type NodeChoice,
  nodeFlag,
  policyFlag,
  resolveNode,
  serverFlag,
  workFlag,
} from '../lib/flag-values.js';
import { type FlagDoc, flagReader } from '../lib/flags.js';

export const SERVE_DEFAULT_PORT = 3000;

const FLAGS = {
  policy: { type: 'string', value: 'NAME', shown: 'rr', description: `the strategy, one of: ${singlePolicyList()}` },
  workers: BENCH_FLAGS.workers,
  server: BENCH_FLAGS.server,
  work: BENCH_FLAGS.work,
  app: BENCH_FLAGS.app,
  host: {
    type: 'string',
    value: 'ADDR',
    shown: DEFAULTS.host,
    description: 'listen address (anything but loopback is reachable from other machines: said loudly)',
  },
  port: { type: 'string', value: 'N', shown: String(SERVE_DEFAULT_PORT), description: 'listen port (0: any free port)' },
  backlog: BENCH_FLAGS.backlog,
  seed: BENCH_FLAGS.seed,
  node: BENCH_FLAGS.node,
  every: { type: 'string', value: 'S', shown: 'only on exit', description: 'print the per-worker counts every S seconds' },
  for: {
    type: 'string',
    value: 'S',
    shown: 'until stopped',
    description: 'stop after S seconds (up to 86400), as Ctrl-C stops it: final counts, exit 0',
  },
  stats: {
    type: 'boolean',
    description: "serve the workers' own counts read-only at GET /stats on another port (for bench --target-stats)",
  },
  'stats-port': { type: 'string', value: 'N', shown: 'any free port', description: 'port of the /stats endpoint (with --stats)' },
} as const satisfies Record<string, FlagDoc>;

export interface ServeRequest extends Omit<ServeOptions, 'node'> {
  /** --node: a binary, or a version installed when serve runs. */
  node?: NodeChoice;
  everyS: number | null;
  /** --for S: stop after S seconds; null: until stopped. */
  forS: number | null;
}

/**
 * Does serve stop when its stdin ends? Only when stdin is a pipe or a socket: what a supervisor
 * holds open and closes to stop it, the way to stop it on Windows, where SIGTERM never arrives. A
 * terminal never ends, and /dev/null (a background `&` job's stdin) or a file ends at once.
 * Windows pipes are FIFOs too (libuv >= 1.45 fstat, src/win/fs.c fs__fstat_handle).
 */
export const stdinStops = (stat: { isFIFO(): boolean; isSocket(): boolean } | null): boolean =>
  stat !== null && (stat.isFIFO() || stat.isSocket());

function stdinStat(): Stats | null {
  try {
    return fstatSync(0);
  } catch {
    return null; // no stdin at all (closed descriptor)
  }
}

/** Resolves with why serving should end: Ctrl-C / SIGTERM, --for's time, or stdin closing (a pipe or socket only). */
function stopWhen(
  signal: AbortSignal,
  forS: number | null,
  stdin: NodeJS.ReadableStream | null,
): { stopped: Promise<string>; dispose(): void } {
  const cleanups: Array<() => void> = [];
  const stopped = new Promise<string>((resolve) => {
    const onAbort = (): void => resolve(String(signal.reason ?? 'SIGINT'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    cleanups.push(() => signal.removeEventListener('abort', onAbort));
    if (forS !== null) {
      const timer = setTimeout(() => resolve(`--for ${forS} s over`), forS * 1000);
      cleanups.push(() => clearTimeout(timer));
    }
    if (stdin !== null) {
      const onEnd = (): void => resolve('stdin closed');
      stdin.once('end', onEnd);
      stdin.once('close', onEnd);
      stdin.once('error', onEnd);
      stdin.resume(); // read and drop what comes: only its end matters
      cleanups.push(() => {
        stdin.off('end', onEnd);
        stdin.off('close', onEnd);
        stdin.pause();
        (stdin as NodeJS.ReadStream).destroy?.(); // else an open pipe keeps the process alive
      });
    }
  });
  return {
    stopped,
    dispose: () => {
      for (const c of cleanups) c();
    },
  };
}

export function parseServe(values: FlagValues): ServeRequest {
  const { str, int } = flagReader<keyof typeof FLAGS>(values);
  const policy = str('policy') ?? 'rr';
  const names = policyFlag(policy);
  if (names.length !== 1) throw new UsageError(msg.onePolicy(policy, singlePolicyList()));
  const server = serverFlag(str('server'));
  const work = workFlag(str('work'));
  const app = appFlag(str('app'), values);
  if (values['stats-port'] !== undefined && values.stats !== true) throw new UsageError(msg.needs('stats-port', 'stats'));
  const host = str('host') ?? DEFAULTS.host;
  checkLoopback(`--host ${host}`, [host], process.platform, localAddresses());
  return {
    strategy: names[0],
    workers: int('workers', DEFAULTS.workers(), 1, 256),
    server,
    work,
    ...(app !== undefined && { app }),
    host,
    port: int('port', SERVE_DEFAULT_PORT, 0, 65535),
    backlog: int('backlog', DEFAULTS.backlog, 1, 65535),
    seed: int('seed', DEFAULTS.seed(), 0, 2 ** 32 - 1),
    stats: values.stats === true,
    statsPort: int('stats-port', 0, 0, 65535),
    everyS: str('every') === undefined ? null : int('every', 0, 1, 86_400),
    forS: str('for') === undefined ? null : int('for', 0, 1, 86_400),
    ...(str('node') !== undefined && { node: nodeFlag(str('node')) }),
  };
}

/** The workers' counts, one line each, with their shares of the requests. */
export function countsText(s: ServeStats): string {
  const total = s.workers.reduce((a, w) => a + w.requests, 0);
  const shares = s.workers.map((w) => (total === 0 ? 0 : w.requests / total));
  const lines = s.workers.map(
    (w, i) =>
      `    worker ${String(w.id).padStart(2)}  pid ${w.pid}  ${String(w.requests).padStart(9)} requests  ${String(w.connections).padStart(8)} connections  ${(shares[i] * 100).toFixed(1).padStart(5)}%`,
  );
  return [`  ${s.at}  ${total} requests, shares ${sharesText(shares)} %`, ...lines].join('\n');
}

export const serveCommand: Command<ServeRequest> = {
  name: 'serve',
  summary: "Serve one strategy's cluster to any load tool (wrk, k6, bench --target) until Ctrl-C, --for S or stdin closes.",
  notes: [
    [
      'Stopping, each the same clean stop (the final counts, the cluster shut down, exit 0):',
      '  Ctrl-C, or SIGTERM to `node dist/scripts/serve.js` (npm does not pass SIGTERM on);',
      '  --for S: after S seconds;',
      '  stdin closing, when stdin is a pipe or a socket: a supervisor or a script ends serve by closing',
      '  it (the way on Windows, where SIGTERM never arrives). A terminal, /dev/null (a background `&`',
      '  job) or a file never stops it.',
    ].join('\n'),
  ],
  flags: FLAGS,
  examples: [
    'npm run serve -- --policy lc --workers 8 --port 3000',
    'npm run serve -- --policy none --every 5 --stats',
    'wrk -t2 -c100 -d10s http://127.0.0.1:3000/',
    'npm run serve -- --policy rr --for 60                 # a minute, then stop by itself',
  ],
  exitCodes:
    '0 stopped by Ctrl-C, SIGTERM, --for or stdin closing, 1 the cluster failed (also while serving: its primary died), 2 bad usage, 130 / 143 a second Ctrl-C / SIGTERM while stopping (every process killed at once).',
  parse: parseServe,
  cleanup: stopAll,
  endsOnSignal: true,
  hardStop: killAllNow,
  async run(o, { err, signal }) {
    // --app: loaded, built and sent one request in a thread before the cluster starts.
    if (o.app !== undefined) await loadApp(o.app.file);
    const node = o.node === undefined ? undefined : resolveNode(o.node, err);
    // Workers (also respawned ones) fork from a copy of the code as it is now.
    const copyWarning = useCodeSnapshot();
    if (copyWarning) err.write(`  ! ${copyWarning}\n`);
    const s = await serve({ ...o, node });
    if (!isLoopback(o.host)) err.write(`  ! serving on ${o.host}: reachable from other machines, not only this one\n`);
    err.write(
      `serving ${o.strategy} on ${s.url}  (${o.workers} workers, ${o.app ? `app ${o.app.file}` : `${o.server}, work ${formatWork(o.work)}`})\n`,
    );
    err.write(`  worker pids ${s.workers.map((w) => w.pid).join(', ')}\n`);
    if (s.statsUrl) err.write(`  stats ${s.statsUrl}\n`);
    const capped = backlogWarning({ backlog: o.backlog, somaxconn: readSomaxconn(), connections: null, platform: process.platform });
    if (capped !== null) err.write(`  ! ${capped}\n`);
    const onStdin = stdinStops(stdinStat());
    const until = [
      'Ctrl-C to stop',
      ...(o.forS !== null ? [`stops by itself after ${o.forS} s`] : []),
      ...(onStdin ? ['or when stdin closes'] : []),
    ].join('; ');
    err.write(`  ${until}${o.everyS ? `; counts every ${o.everyS} s` : ''}\n`);
    const timer = o.everyS
      ? setInterval(
          () =>
            void s.stats().then(
              (x) => err.write(`${countsText(x)}\n`),
              () => {},
            ),
          o.everyS * 1000,
        )
      : undefined;
    // Until Ctrl-C, --for or stdin's end, or until the cluster itself dies (then nothing is served any more: exit 1).
    const stop = stopWhen(signal, o.forS, onStdin ? process.stdin : null);
    const ended = await Promise.race([stop.stopped.then((why) => ({ why })), s.died.then((died) => ({ died }))]);
    stop.dispose();
    clearInterval(timer);
    if ('died' in ended) {
      await s.stop();
      throw new RunError('PRIMARY_EXIT', `${o.strategy}: ${ended.died}; stopped serving`);
    }
    err.write(`\nstopping (${ended.why}); the workers' own counts:\n${countsText(await s.stats())}\n`);
    await s.stop();
    return 0;
  },
};
