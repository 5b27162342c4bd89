// Worker faults (--fault) and the log of what happened to the workers during a strategy's load:
// faults applied, deaths, replacements (--respawn), workers that stopped answering. The log turns
// each into a WorkerEvent for the result and tells reconciliation why a worker's count differs in
// a round, so a death or a hang is explained rather than reported as an unexplained mismatch.
import { msg, UsageError } from '../format/errors.js';
import type { WorkerEvent, WorkerEventKind } from '../format/schema.js';
import type { ClusterNews } from './cluster/handle.js';
import type { Fault } from './cluster/protocol.js';
import type { RoundContext } from './reconcile.js';

const ROUND_FAULTS = { 'kill-worker': 'kill', 'hang-worker': 'hang', 'exit-worker': 'exit' } as const;

export const FAULT_FORMS = 'kill-worker:ROUND, hang-worker:ROUND, exit-worker:ROUND, slow-worker:MS, reload';

/** `kill-worker:3` -> { kind: 'kill', round: 3 }. Bad text: a UsageError naming the value and the valid forms. */
export function parseFault(text: string): Fault {
  const bad = (why: string): Error => new UsageError(msg.fault(text, why, FAULT_FORMS));
  // A rolling restart of every worker; in a timed load, halfway through.
  if (text === 'reload') return { kind: 'reload', round: 1 };
  const m = /^([a-z-]+):(\d{1,7})$/.exec(text);
  if (!m) throw bad('expected NAME:NUMBER');
  const [, name, digits] = m;
  const n = Number(digits);
  if (name === 'slow-worker') {
    if (n < 1 || n > 60_000) throw bad('MS must be 1 to 60000');
    return { kind: 'slow', ms: n };
  }
  if (!Object.hasOwn(ROUND_FAULTS, name)) throw bad(`unknown fault '${name}'`);
  if (n < 1) throw bad('ROUND counts from 1');
  return { kind: ROUND_FAULTS[name as keyof typeof ROUND_FAULTS], round: n };
}

/** The --fault text of `f` (as the result records it). */
export function faultText(f: Fault): string {
  if (f.kind === 'slow') return `slow-worker:${f.ms}`;
  if (f.kind === 'reload') return 'reload';
  return `${f.kind}-worker:${f.round}`;
}

/**
 * Everything that happened to a strategy's workers while its load ran, by round. `round` is set
 * by the round loop as each round starts; news arrives from the primary (ClusterProcess.onNews).
 */
export class WorkerLog {
  readonly events: WorkerEvent[] = [];
  /** Workers that died or stopped answering unasked: problems of the run. */
  readonly problems: string[] = [];
  round = 0;
  private readonly pending = new Map<number, Fault>();
  /** --fault reload: each hand-over, when it started (ms from the load's start), and the restart's span. */
  readonly reload: { steps: Array<{ old: number; new: number; ms: number }>; fromMs: number; toMs: number | null; refused?: string } = {
    steps: [],
    fromMs: -1,
    toMs: null,
  };
  private reloading = false;
  private readonly hungSince = new Map<number, number>();

  constructor(
    private readonly origin: number,
    private readonly idOf: (pid: number) => number,
    private readonly faultName = '',
  ) {}

  private add(pid: number, event: WorkerEventKind, expected: boolean, detail: string): void {
    this.events.push({
      round: this.round,
      atMs: Math.round(performance.now() - this.origin),
      id: this.idOf(pid),
      pid,
      event,
      expected,
      detail,
    });
  }

  readonly onNews = (n: ClusterNews): void => {
    if (n.type === 'fault') {
      if (!n.worker) {
        this.problems.push(`--fault ${this.faultName}: no worker left to apply it to`);
        return;
      }
      const { pid } = n.worker;
      const f = n.fault;
      if (f.kind === 'reload') {
        this.reloading = true;
        this.reload.fromMs = Math.round(performance.now() - this.origin);
      } else if (f.kind === 'kill' || f.kind === 'exit')
        this.pending.set(pid, f); // the event is its exit
      else if (f.kind === 'hang') {
        this.hungSince.set(pid, this.round);
        this.add(pid, 'hung', true, `--fault ${this.faultName}: from round ${this.round} it takes requests and answers none`);
      } else if (f.kind === 'slow') this.add(pid, 'slowed', true, `--fault ${this.faultName}: it answers every request ${f.ms} ms late`);
    } else if (n.type === 'exit') {
      const { pid, code, signal } = n.exit;
      const fault = this.pending.get(pid);
      this.pending.delete(pid);
      this.hungSince.delete(pid);
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (fault)
        this.add(
          pid,
          fault.kind === 'kill' ? 'killed' : 'exited',
          true,
          fault.kind === 'reload'
            ? `--fault reload: retired gracefully, its replacement ready (${how})`
            : `--fault ${this.faultName}: ${fault.kind === 'kill' ? 'SIGKILLed' : 'exited gracefully'} (${how})`,
        );
      else {
        this.add(pid, 'died', false, `exited unasked (${how})`);
        this.problems.push(`worker ${pid} exited during the run (code ${code}, signal ${signal})`);
      }
    } else if (n.type === 'spawned') {
      // In a reload the old worker's exit is asked for: expected, not a death.
      if (this.reloading) this.pending.set(n.replaces, { kind: 'reload', round: this.round });
      this.add(
        n.worker.pid,
        'spawned',
        true,
        `${this.reloading ? '--fault reload' : '--respawn'}: replaces worker ${this.idOf(n.replaces)} (pid ${n.replaces})`,
      );
    } else if (n.type === 'reload-step') this.reload.steps.push({ old: n.old.pid, new: n.new.pid, ms: n.ms });
    else {
      this.reloading = false;
      this.reload.toMs = Math.round(performance.now() - this.origin);
      if (n.refused !== undefined) this.reload.refused = n.refused;
    }
  };

  /** Workers that missed a counter read (a stuck event loop): their last counts stood in. */
  stale(pids: readonly number[]): void {
    for (const pid of pids) {
      if (this.events.some((e) => e.pid === pid && e.event === 'unresponsive' && e.round === this.round)) continue;
      const hung = this.hungSince.has(pid);
      this.add(pid, 'unresponsive', hung, 'did not answer a counter read within 2 s: its last counts stand in');
      if (!hung)
        this.problems.push(`round ${this.round}: worker ${pid} did not answer a counter read in time (its event loop may be stuck)`);
    }
  }

  /** Why counts of round `round` may differ, for reconciliation. */
  context(round: number): RoundContext {
    const here = this.events.filter((e) => e.round === round);
    return {
      explain: (pid) => {
        const e = here.find((x) => x.pid === pid && x.event !== 'spawned' && x.event !== 'slowed');
        if (e) return `${e.event} in round ${round}`;
        const since = this.hungSince.get(pid);
        return since !== undefined && since <= round ? `hung since round ${since}` : null;
      },
      lagging: (pid) => here.some((x) => x.pid === pid && (x.event === 'died' || x.event === 'unresponsive')),
      // A slowed worker still answers, and a replacement takes nothing away: neither makes a request fail.
      events: here.filter((e) => e.event !== 'spawned' && e.event !== 'slowed').map((e) => `worker ${e.pid} ${e.event}`),
    };
  }
}
