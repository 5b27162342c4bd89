// A strategy the user wrote (`--strategy-file FILE`): an ES module that exports (as `default` or
// as `strategy`) { name, description, needsCloses?, createPicker }, the same `pick(loads, rng)`
// contract as ours (docs/strategies.md). It is loaded and tried in a thread of its own before any
// load starts (user-strategy-trial.ts), so a bad module, or one that never returns, is one clear
// line (exit 2); the primary imports it again to run it.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ALIASES, isStrategyName } from '../strategies/registry.js';
import { seededRng } from '../strategies/rng.js';
import type { Picker, UserStrategy, WorkerLoad } from '../strategies/types.js';
import { readUserFile } from './user-file.js';

const NAME = /^[a-z][a-z0-9-]{0,39}$/;
/** Worker counts a picker is tried with, and picks at each. */
const TRIAL_WORKERS = [1, 2, 3, 8, 64];
const TRIAL_PICKS = 50;

/** Why `file` cannot be a strategy: one line, prefixed with the flag and the file. */
const bad = (file: string, why: string): Error => new Error(`invalid --strategy-file '${file}': ${why} (see docs/strategies.md)`);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

/** Call `pick` the way the dispatcher does, over loads that move as in a run; throws on the first bad answer. */
function tryPicker(file: string, createPicker: () => unknown): void {
  for (const n of TRIAL_WORKERS) {
    let picker: unknown;
    try {
      picker = createPicker();
    } catch (err) {
      throw bad(file, `createPicker() threw: ${(err as Error)?.message ?? String(err)}`);
    }
    if (typeof (picker as Partial<Picker> | null)?.pick !== 'function')
      throw bad(file, `createPicker() must return an object with a pick(loads, rng) function, got ${describe(picker)}`);
    const p = picker as Picker;
    const rng = seededRng(n);
    const loads: WorkerLoad[] = Array.from({ length: n }, (_, i) => ({ id: i + 1, pid: 1000 + i, active: 0, served: 0, requests: 0 }));
    for (let k = 0; k < TRIAL_PICKS; k++) {
      let i: unknown;
      try {
        i = p.pick(loads, rng);
      } catch (err) {
        throw bad(file, `pick() threw with ${n} workers: ${(err as Error)?.message ?? String(err)}`);
      }
      if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= n)
        throw bad(file, `pick() returned ${describe(i)} with ${n} workers (valid: a whole number from 0 to ${n - 1})`);
      loads[i].active++;
      loads[i].served++;
      const closing = loads[(k * 7) % n];
      if (closing.active > 0) closing.active--;
    }
  }
}

/** What the runner keeps of a user strategy: everything but the picker, which only the primary runs. */
export type UserStrategyInfo = Omit<UserStrategy, 'createPicker'>;

/**
 * Import `file` and check its shape (the primary calls this to run it; the runner tries it first
 * with `loadUserStrategy`). Throws one line naming what is wrong.
 */
export async function importUserStrategy(file: string): Promise<UserStrategy> {
  const { abs, bytes } = readUserFile(file, (why) => bad(file, why));
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  } catch (err) {
    throw bad(file, `cannot load it as an ES module: ${String((err as Error)?.message ?? err).split('\n')[0]}`);
  }
  const s = (mod.strategy ?? mod.default) as Record<string, unknown> | undefined;
  if (s === undefined || s === null || typeof s !== 'object')
    throw bad(file, 'it must export a strategy object, as `export default { name, description, createPicker }` or `export const strategy`');
  const { name, description, createPicker, needsCloses } = s;
  if (typeof name !== 'string' || !NAME.test(name))
    throw bad(file, `name must be lowercase letters, digits and dashes, starting with a letter, up to 40, got ${describe(name)}`);
  if (isStrategyName(name) || Object.hasOwn(ALIASES, name)) throw bad(file, `name '${name}' is a built-in strategy's; choose another`);
  if (typeof description !== 'string' || description.trim() === '')
    throw bad(file, `description must be a non-empty string, got ${describe(description)}`);
  if (typeof createPicker !== 'function') throw bad(file, `createPicker must be a function, got ${describe(createPicker)}`);
  if (needsCloses !== undefined && typeof needsCloses !== 'boolean')
    throw bad(file, `needsCloses must be true or false, got ${describe(needsCloses)}`);
  return {
    name,
    kind: 'user',
    description: `user (${path.basename(abs)}): ${description}`,
    supported: () => null,
    createPicker: createPicker as () => Picker,
    needsCloses: needsCloses === true,
    file: abs,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** Import, check and try the strategy in `file` in this thread (the trial thread's work). */
export async function checkUserStrategy(file: string): Promise<UserStrategyInfo> {
  const def = await importUserStrategy(file);
  tryPicker(file, def.createPicker);
  const { createPicker: _, ...info } = def;
  return info;
}

/** How long loading the module and its trial picks may take: a pick that never returns must not hang the run. */
export const TRIAL_TIMEOUT_MS = 5000;
const TRIAL_THREAD = new URL('./user-strategy-trial.js', import.meta.url);

/**
 * Load, check and try the strategy in `file` before any load starts, in a thread of its own: the
 * module's code never runs on the runner's event loop, and a module or pick that never returns is
 * stopped after TRIAL_TIMEOUT_MS. Throws one line naming what is wrong.
 */
export function loadUserStrategy(file: string, timeoutMs = TRIAL_TIMEOUT_MS): Promise<UserStrategyInfo> {
  return new Promise((resolve, reject) => {
    const thread = new Worker(TRIAL_THREAD, { workerData: { file }, stdout: false, stderr: false });
    const timer = setTimeout(() => {
      void thread.terminate();
      reject(
        bad(
          file,
          `loading it and ${TRIAL_WORKERS.length * TRIAL_PICKS} trial picks did not finish within ${timeoutMs / 1000} s (a pick, or the module's own code, that never returns?)`,
        ),
      );
    }, timeoutMs);
    const settle = (f: () => void): void => {
      clearTimeout(timer);
      void thread.terminate();
      f();
    };
    thread.once('message', (m: { info: UserStrategyInfo } | { error: string }) =>
      settle(() => ('info' in m ? resolve({ ...m.info, supported: () => null }) : reject(new Error(m.error)))),
    );
    thread.once('error', (err) => settle(() => reject(bad(file, `its trial failed: ${err.message}`))));
    thread.once('exit', (code) => settle(() => reject(bad(file, `its trial thread exited (code ${code}) before answering`))));
  });
}
