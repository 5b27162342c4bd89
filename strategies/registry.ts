// Every strategy, by name: the table is the one list (the names and their type derive from it),
// so adding a strategy is its file and one line here.
import { proxy, sharedHandle } from './architectures.js';
import { leastConnections } from './least-connections.js';
import { leastRequests } from './least-requests.js';
import { none } from './none.js';
import { p2c } from './p2c.js';
import { random } from './random.js';
import { reuseport } from './reuseport.js';
import { rr } from './rr.js';
import { sticky } from './sticky.js';
import type { StrategyDef } from './types.js';

export const STRATEGIES = {
  rr,
  none,
  reuseport,
  'least-connections': leastConnections,
  random,
  p2c,
  sticky,
  'least-requests': leastRequests,
  proxy,
  'shared-handle': sharedHandle,
} satisfies Record<string, StrategyDef>;
export type StrategyName = keyof typeof STRATEGIES;
/** Every strategy, in the table's order: the order a default run takes them in. */
export const STRATEGY_NAMES: readonly StrategyName[] = Object.keys(STRATEGIES) as StrategyName[];

/** Short names accepted by --policy. `all` expands to every strategy. */
export const ALIASES: Record<string, readonly StrategyName[]> = {
  lc: ['least-connections'],
  lr: ['least-requests'],
  all: STRATEGY_NAMES,
};

export const isStrategyName = (s: string): s is StrategyName => Object.hasOwn(STRATEGIES, s);

/** Expand a comma list of names and aliases, in order, without duplicates. Unknown names are returned apart. */
export function resolvePolicies(list: string): { names: StrategyName[]; unknown: string[] } {
  const names = new Set<StrategyName>();
  const unknown: string[] = [];
  for (const raw of list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const expanded = isStrategyName(raw) ? [raw] : Object.hasOwn(ALIASES, raw) ? ALIASES[raw] : undefined;
    if (!expanded) unknown.push(raw);
    else for (const n of expanded) names.add(n);
  }
  return { names: [...names], unknown };
}

export const validPolicyList = (): string => [...STRATEGY_NAMES, ...Object.keys(ALIASES)].join(', ');

/** What a --policy that takes one strategy (serve) accepts: every name, and the aliases of one strategy. */
export const singlePolicyList = (): string =>
  [...STRATEGY_NAMES, ...Object.keys(ALIASES).filter((a) => ALIASES[a].length === 1)].join(', ');
