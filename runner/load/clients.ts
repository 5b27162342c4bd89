// The runner's side of a multi-process load generator (--clients K > 1). K client processes
// (client.ts) are forked once per run. Each strategy's load is split across them as its mode's
// LoadDef says (`share`: connections per round or in all, or the open loop's rate).
// A round is released to every client at once, only when all of them are idle (a barrier), so
// "1000 at once" stays at once. Their round counts feed the runner's tally round by round (so
// reconciliation is exactly as with one client), and their latency histograms, errors and
// series are merged when the load ends.
import { type ChildProcess, fork } from 'node:child_process';
import type { WorkerRef } from '../../format/schema.js';
import { codeFile } from '../code-snapshot.js';
import type { RunOptions } from '../options.js';
import type { RecordSink, Tally } from '../tally.js';
import { type FromClient, fromWire, type ToClient } from './client-protocol.js';
import { loadDef } from './index.js';
import type { LoadClock, LoadRound, Target } from './types.js';

/** Every load-generator process alive, for a hard stop (a second Ctrl-C). */
const forked = new Set<ChildProcess>();

/** SIGKILL every load-generator process at once (synchronous: the runner is about to exit). */
export function killClientsNow(): void {
  for (const p of forked) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
}
const REPLY_TIMEOUT_MS = 15 * 60_000;

/** Client i's share of the load (its connections, or its rate and phase: the mode's LoadDef says); null when it has none. */
export function shareOf(o: RunOptions, i: number, k: number): { opts: RunOptions; phaseMs: number } | null {
  const share = loadDef(o).share(o, i, k);
  return share === null ? null : { opts: { ...o, ...share.settings }, phaseMs: share.phaseMs ?? 0 };
}

class Client {
  private readonly proc: ChildProcess;
  private waiting: { type: FromClient['type']; resolve: (m: FromClient) => void; reject: (e: Error) => void } | null = null;
  /** Where shipped records go (the requests file), during a strategy's load. */
  raw: RecordSink | undefined;

  constructor(readonly index: number) {
    this.proc = fork(codeFile('runner/load/client.js'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: ['--enable-source-maps'],
    });
    forked.add(this.proc);
    this.proc.on('message', (m: FromClient) => this.onMessage(m));
    this.proc.once('exit', (code, signal) => {
      forked.delete(this.proc);
      this.fail(new Error(`load client ${index + 1} exited (code ${code}, signal ${signal})`));
    });
  }

  private onMessage(m: FromClient): void {
    if (m.type === 'records') {
      if (this.raw) for (const r of m.recs) this.raw(fromWire(r));
    } else if (m.type === 'failed') this.fail(new Error(`load client ${this.index + 1}: ${m.message}`));
    else if (this.waiting?.type === m.type) {
      const w = this.waiting;
      this.waiting = null;
      w.resolve(m);
    }
  }

  private fail(err: Error): void {
    const w = this.waiting;
    this.waiting = null;
    w?.reject(err);
  }

  /** Send `m` and wait for the reply of type `reply`. */
  ask<T extends FromClient['type']>(m: ToClient, reply: T): Promise<Extract<FromClient, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail(new Error(`load client ${this.index + 1}: no ${reply} within ${REPLY_TIMEOUT_MS} ms`)),
        REPLY_TIMEOUT_MS,
      );
      this.waiting = {
        type: reply,
        resolve: (x) => {
          clearTimeout(timer);
          resolve(x as Extract<FromClient, { type: T }>);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      if (!this.proc.connected) this.fail(new Error(`load client ${this.index + 1} is gone`));
      else this.proc.send(m);
    });
  }

  /** A message that needs no reply. */
  tell(m: ToClient): void {
    if (this.proc.connected) this.proc.send(m, (err) => void err);
  }

  close(): void {
    if (this.proc.connected) this.proc.disconnect();
    if (this.proc.exitCode === null) this.proc.kill();
  }
}

/** One strategy's load, driven round by round. */
export interface LoadDriver {
  rounds: number;
  /** `stop` ends the round early (the run stopping); every request still comes back as a record. */
  fire(round: number, stop?: AbortSignal): Promise<LoadRound>;
  /** A worker joined (--respawn): its responses count for it. */
  addWorker(w: WorkerRef): void;
  /** After the last round: merge what the clients kept; their CPU, ms each (every client, 0 for one with no share). */
  finish(): Promise<{ clientCpuMs: number[] }>;
}

export class ClientPool {
  private readonly clients: Client[];

  constructor(readonly size: number) {
    this.clients = Array.from({ length: size }, (_, i) => new Client(i));
  }

  /** The load of `o`, split across the clients; records reach `tally` (counts) and `raw` (rows). */
  async driver(
    o: RunOptions,
    target: Target,
    workers: readonly WorkerRef[],
    clock: LoadClock,
    tally: Tally,
    raw?: RecordSink,
  ): Promise<LoadDriver> {
    const active = this.clients.flatMap((c, i) => {
      const share = shareOf(o, i, this.size);
      return share === null ? [] : [{ c, share }];
    });
    const originEpochMs = performance.timeOrigin + clock.origin;
    await Promise.all(
      active.map(({ c, share }) => {
        c.raw = raw;
        return c.ask({ type: 'load', ...share, target, workers: [...workers], originEpochMs, keepRecords: raw !== undefined }, 'loaded');
      }),
    );
    return {
      rounds: o.rounds,
      fire: async (round, stop) => {
        // Every client is idle here (the previous round has come back from all): release them together.
        const onStop = (): void => {
          for (const { c } of active) c.tell({ type: 'stop', reason: String(stop?.reason) });
        };
        stop?.addEventListener('abort', onStop, { once: true });
        try {
          const replies = await Promise.all(active.map(({ c }) => c.ask({ type: 'go', round }, 'fired')));
          for (const r of replies) tally.absorbRound(round, r.seen);
          return { sent: replies.reduce((a, r) => a + r.sent, 0) };
        } finally {
          stop?.removeEventListener('abort', onStop);
        }
      },
      addWorker: (w) => {
        tally.addWorker(w);
        for (const { c } of active) c.tell({ type: 'worker', worker: w });
      },
      finish: async () => {
        const done = await Promise.all(active.map(({ c }) => c.ask({ type: 'finish' }, 'finished')));
        for (const d of done) tally.absorb(d.tally);
        for (const { c } of active) c.raw = undefined;
        const cpu = new Array<number>(this.size).fill(0);
        active.forEach(({ c }, i) => {
          cpu[c.index] = Math.round(done[i].cpuUs / 100) / 10;
        });
        return { clientCpuMs: cpu };
      },
    };
  }

  close(): void {
    for (const c of this.clients) c.close();
  }
}
