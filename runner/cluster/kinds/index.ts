// The kind table: which ClusterKind takes the connections of each strategy kind, looked up once
// (by primary.ts for its side, by worker.ts for the worker's). Keyed by every kind a strategy can
// have: a missing entry is a compile error. A new kind is its file here and one line below.
import type { StrategyDef } from '../../../strategies/types.js';
import type { ClusterConfig } from '../protocol.js';
import { dispatch } from './dispatch.js';
import { handle } from './handle.js';
import { kernel } from './kernel.js';
import type { ClusterKind, PrimarySide } from './kind.js';
import { native } from './native.js';
import { proxy } from './proxy.js';

type Kind = StrategyDef['kind'];
type DefOf<K extends Kind> = Extract<StrategyDef, { kind: K }>;

export const KINDS: { [K in Kind]: ClusterKind<DefOf<K>> } = {
  native,
  kernel,
  dispatch,
  user: dispatch,
  proxy,
  handle,
};

/** The primary side of `def`'s kind for one cluster. */
export const primarySide = <K extends Kind>(kind: K, def: DefOf<K>, config: ClusterConfig): Promise<PrimarySide> =>
  Promise.resolve(KINDS[kind].primary(def, config));

/** Descriptors `def`'s primary may hold per connection at once (see ClusterKind.primaryFds). */
export const primaryFdsPerConnection = <K extends Kind>(def: DefOf<K>): number =>
  (KINDS[def.kind as K] as ClusterKind<DefOf<K>>).primaryFds?.(def) ?? 0;
