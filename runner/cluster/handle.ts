// The runner's side of one cluster: fork a fresh primary, wait for ready, take snapshots, stop it.
// Every live cluster is tracked so Ctrl-C, errors and timeouts all end in the same cleanup.
import { type ChildProcess, fork } from 'node:child_process';
import { RunError } from '../../format/errors.js';
import { codeFile } from '../code-snapshot.js';
import type { ClusterConfig, Fault, PrimaryToRunner, RunnerToPrimary, Snapshot } from './protocol.js';

const READY_TIMEOUT_MS = 30_000;
/** The workers have 2 s to answer a read (the primary answers for a stuck one); past this the primary itself is stuck. */
const SNAPSHOT_TIMEOUT_MS = 5_000;
/** The primary gives its workers 3 s; this is the primary's own deadline before SIGKILL. */
const STOP_DEADLINE_MS = 6_000;

const live = new Set<ClusterProcess>();

/**
 * Extra Node flags for every forked primary, whitespace-separated, e.g. to profile it:
 * `CSB_PRIMARY_EXEC_ARGV="--cpu-prof --cpu-prof-dir=/tmp/prof"` (a .cpuprofile per primary).
 */
export const PRIMARY_EXEC_ARGV_ENV = 'CSB_PRIMARY_EXEC_ARGV';
const primaryExecArgv = (): string[] => [
  '--enable-source-maps',
  ...(process.env[PRIMARY_EXEC_ARGV_ENV] ?? '').split(/\s+/).filter(Boolean),
];

export interface WorkerExit {
  pid: number;
  code: number | null;
  signal: string | null;
}

/** What the primary tells of its workers while the load runs (see protocol.ts). */
export type ClusterNews =
  | { type: 'exit'; exit: WorkerExit }
  | { type: 'fault'; fault: Fault; worker: { id: number; pid: number } | null }
  | { type: 'spawned'; worker: { id: number; pid: number }; replaces: number }
  | { type: 'reload-step'; old: { id: number; pid: number }; new: { id: number; pid: number }; ms: number }
  | { type: 'reload-done'; ms: number; refused?: string };

export class ClusterProcess {
  port = 0;
  workers: Array<{ id: number; pid: number }> = [];
  /** process.version of the primary (and so of its workers): what served. */
  node = '';
  /** Each worker exit, fault applied and replacement, as it arrives (set by the strategy's run). */
  onNews: (n: ClusterNews) => void = () => {};
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private nextId = 0;
  private readonly waiters = new Map<number, (s: Snapshot) => void>();
  /** Resolves with why, if the primary exits while it should be running (not asked by stop()). */
  readonly died: Promise<string>;
  private stopping = false;
  /** Rejects the request in flight when the primary dies or reports a fatal error. */
  private failure: ((err: Error) => void) | undefined;
  private onReady: (() => void) | undefined;

  private constructor(private readonly config: ClusterConfig) {
    const primary = config.primaryModule ?? codeFile('runner/cluster/primary.js');
    this.child = fork(primary, [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: primaryExecArgv(),
      ...(config.execPath !== undefined && { execPath: config.execPath }),
    });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    this.died = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        if (!this.stopping) resolve(`the primary exited unexpectedly (code ${code}, signal ${signal})`);
      }),
    );
    this.child.on('message', (m: PrimaryToRunner) => this.onMessage(m));
    this.child.once('exit', (code, signal) => {
      live.delete(this);
      this.failure?.(new RunError('PRIMARY_EXIT', `${config.strategy}: primary exited unexpectedly (code ${code}, signal ${signal})`));
    });
    live.add(this);
  }

  /** Fork a primary for `config` and resolve once every worker is up and the port is known. */
  static async start(config: ClusterConfig): Promise<ClusterProcess> {
    const cp = new ClusterProcess(config);
    try {
      await cp.request<void>(
        READY_TIMEOUT_MS,
        'start',
        () => cp.send({ type: 'start', config }),
        (resolve) => {
          cp.onReady = resolve;
        },
      );
    } catch (err) {
      await cp.stop();
      throw err;
    }
    return cp;
  }

  private onMessage(m: PrimaryToRunner): void {
    if (m.type === 'ready') {
      this.port = m.port;
      this.node = m.node;
      this.workers = m.workers;
      this.onReady?.();
    } else if (m.type === 'snapshot') {
      this.waiters.get(m.id)?.(m.snapshot);
      this.waiters.delete(m.id);
    } else if (m.type === 'worker-exit') {
      this.onNews({ type: 'exit', exit: { pid: m.pid, code: m.code, signal: m.signal } });
    } else if (m.type === 'fault-applied') {
      this.onNews({ type: 'fault', fault: m.fault, worker: m.worker });
    } else if (m.type === 'worker-spawned') {
      this.workers = [...this.workers, m.worker];
      this.onNews({ type: 'spawned', worker: m.worker, replaces: m.replaces });
    } else if (m.type === 'reload-step') {
      this.onNews({ type: 'reload-step', old: m.old, new: m.new, ms: m.ms });
    } else if (m.type === 'reload-done') {
      this.onNews({ type: 'reload-done', ms: m.ms, ...(m.refused !== undefined && { refused: m.refused }) });
    } else if (m.type === 'fatal') {
      this.failure?.(new RunError('PRIMARY_FATAL', `${this.config.strategy}: ${m.message}`));
    }
  }

  /** Every worker's own counters and CPU, and the primary's CPU. */
  snapshot(): Promise<Snapshot> {
    const id = ++this.nextId;
    return this.request<Snapshot>(
      SNAPSHOT_TIMEOUT_MS,
      'snapshot',
      () => this.send({ type: 'snapshot', id }),
      (resolve) => {
        this.waiters.set(id, resolve);
      },
    );
  }

  /**
   * Pid header and counters on or off in every worker. Resolves once every worker has applied it:
   * IPC keeps order, so a worker answering the snapshot sent after it has seen it.
   */
  async setInstrumented(on: boolean): Promise<Snapshot> {
    this.send({ type: 'instrument', on });
    return this.snapshot();
  }

  /** Inject a worker fault (--fault); the primary answers with `fault-applied` (see onNews). */
  fault(fault: Fault): void {
    this.send({ type: 'fault', fault });
  }

  /** SIGKILL the primary and every worker it had, now (a second Ctrl-C: no time for order). */
  killNow(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    for (const { pid } of this.workers) killIfAlive(pid);
  }

  /** Orderly shutdown with a deadline, then SIGKILL of the primary and of any worker it left. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.send({ type: 'shutdown' });
      const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_DEADLINE_MS);
      await this.exited;
      clearTimeout(timer);
    }
    // A primary that exited cleanly waited for its workers; otherwise make sure none is left.
    if (this.child.exitCode !== 0) for (const { pid } of this.workers) killIfAlive(pid);
    live.delete(this);
  }

  private send(m: RunnerToPrimary): void {
    // A primary that is exiting can close IPC under a send (EPIPE); its 'exit' reports the failure,
    // so the error is ignored here rather than crashing the runner as an unhandled 'error' event.
    if (this.child.connected) this.child.send(m, (err) => void err);
  }

  private request<T>(timeoutMs: number, what: string, fire: () => void, register: (resolve: (v: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => fail(new RunError('TIMEOUT', `${this.config.strategy}: no ${what} reply from the primary within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const fail = (err: Error): void => {
        clearTimeout(timer);
        this.failure = undefined;
        reject(err);
      };
      this.failure = fail;
      register((v: T) => {
        clearTimeout(timer);
        this.failure = undefined;
        resolve(v);
      });
      fire();
    });
  }
}

function killIfAlive(pid: number): void {
  try {
    process.kill(pid, 0);
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone: the normal case
  }
}

/** SIGKILL every cluster's processes at once (synchronous: the runner is about to exit). */
export function killAllNow(): void {
  for (const c of live) c.killNow();
}

/** Stop every cluster still running (Ctrl-C, an exception, a failed run). */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((c) => c.stop()));
}
