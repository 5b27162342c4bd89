// A/B in one run (--baseline-node, --baseline-strategy-file, --baseline-checkout): every
// repetition of every strategy runs on a baseline side and on the current side, back to back, in
// ABBA order (rep 1: baseline then current, rep 2: current then baseline, ...), so drift of the
// machine lands on both sides alike and each rep is a pair that ran side by side. compare reads
// the pairs (reports/compare.ts, paired statistics).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { VariantName } from '../format/schema.js';
import { PROTOCOL_VERSION } from './cluster/protocol.js';
import { snapshotCode } from './code-snapshot.js';
import { gitCommit } from './env.js';
import { nodeVersionOf } from './node-binary.js';
import type { UserStrategyInfo } from './user-strategy.js';

/** One side of a run: how its clusters start. A plain run has one, unnamed. */
export interface Variant {
  name?: VariantName;
  /** Node binary of its primaries and workers; absent: the runner's. */
  node?: string;
  /** Its primary module (another checkout's); absent: this one's. */
  primaryModule?: string;
  /** Its user strategy, if the run has one. */
  user?: UserStrategyInfo;
  /** The Node version its clusters run on (what `supported` is asked about). */
  clusterNode: string;
}

/** The primary of a checkout's build, relative to the checkout. */
const PRIMARY = path.join('dist', 'runner', 'cluster', 'primary.js');
const PROTOCOL = path.join('dist', 'runner', 'cluster', 'protocol.js');

/**
 * The primary module of another checkout of this project, built: why not, as an Error naming the
 * folder and what to do. Its protocol must be this runner's (PROTOCOL_VERSION).
 */
export function checkoutPrimary(dir: string): { primary: string; version: string } {
  const pkgFile = path.join(dir, 'package.json');
  if (!existsSync(pkgFile)) throw new Error('no package.json there: give a checkout of cluster-sched-bench');
  let pkg: { name?: unknown; version?: unknown };
  try {
    pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  } catch {
    throw new Error('its package.json is not JSON');
  }
  if (pkg.name !== 'cluster-sched-bench') throw new Error(`it is ${JSON.stringify(pkg.name)}, not a checkout of cluster-sched-bench`);
  const primary = path.resolve(dir, PRIMARY);
  if (!existsSync(primary)) throw new Error(`it is not built (no ${PRIMARY}): run 'npm ci && npm run build' in it first`);
  const text = existsSync(path.join(dir, PROTOCOL)) ? readFileSync(path.join(dir, PROTOCOL), 'utf8') : '';
  const theirs = /PROTOCOL_VERSION = (\d+)/.exec(text)?.[1];
  if (theirs === undefined)
    throw new Error(`its cluster code predates A/B runs (no PROTOCOL_VERSION in ${PROTOCOL}): use a checkout of this version or later`);
  if (Number(theirs) !== PROTOCOL_VERSION)
    throw new Error(`its cluster code speaks protocol ${theirs}, this runner ${PROTOCOL_VERSION}: A/B needs the same`);
  return { primary, version: String(pkg.version) };
}

/**
 * The checkout's primary, from a copy of its built code taken now (runner/code-snapshot.ts): a
 * rebuild of the baseline during the run cannot change it either.
 */
function checkoutSnapshot(dir: string): string {
  checkoutPrimary(dir);
  return snapshotCode(path.resolve(dir)).file('runner/cluster/primary.js');
}

export interface BaselineSide {
  node?: string;
  checkout?: string;
  user?: UserStrategyInfo;
}

/**
 * The sides of a run: [baseline, current] for an A/B run, one plain side otherwise. The
 * baseline's user strategy is recorded under the current one's name: the two fill one slot.
 */
export function variantsOf(
  current: { node?: string; clusterNode: string; user?: UserStrategyInfo },
  baseline: BaselineSide | undefined,
): Variant[] {
  if (baseline === undefined) return [{ ...current }];
  const b: Variant = {
    name: 'baseline',
    clusterNode: baseline.node === undefined ? current.clusterNode : nodeVersionOf(baseline.node),
    ...(baseline.node !== undefined ? { node: baseline.node } : current.node !== undefined && { node: current.node }),
    ...(baseline.checkout !== undefined && { primaryModule: checkoutSnapshot(baseline.checkout) }),
    ...((baseline.user ?? current.user) && { user: baseline.user ?? current.user }),
  };
  return [b, { ...current, name: 'current' }];
}

/** ABBA: odd repetitions baseline first, even ones current first (warm-ups count from 0 down). */
export const sidesInOrder = (sides: readonly Variant[], rep: number): Variant[] =>
  Math.abs(rep) % 2 === 1 ? [...sides] : [...sides].reverse();

/** What the result's env records of the baseline side. */
export function baselineEnv(
  baseline: { node?: string; checkout?: string },
  currentNode: string,
  currentCommit: string | null,
): { clusterNode: string; gitCommit: string | null; toolVersion?: string } {
  const clusterNode = baseline.node === undefined ? currentNode : nodeVersionOf(baseline.node);
  if (baseline.checkout === undefined) return { clusterNode, gitCommit: currentCommit };
  return {
    clusterNode,
    gitCommit: gitCommit(baseline.checkout),
    toolVersion: checkoutPrimary(baseline.checkout).version,
  };
}
