import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  ALIASES,
  isStrategyName,
  resolvePolicies,
  STRATEGIES,
  STRATEGY_NAMES,
  singlePolicyList,
  validPolicyList,
} from '../../strategies/registry.js';
import type { StrategyDef } from '../../strategies/types.js';

const cases: Array<{ list: string; names: string[]; unknown: string[] }> = [
  { list: 'rr', names: ['rr'], unknown: [] },
  { list: 'lc', names: ['least-connections'], unknown: [] },
  {
    list: 'all',
    names: [...STRATEGY_NAMES],
    unknown: [],
  },
  { list: 'random,rr', names: ['random', 'rr'], unknown: [] },
  { list: 'rr,rr,lc,least-connections', names: ['rr', 'least-connections'], unknown: [] },
  {
    list: 'random,all',
    names: ['random', ...STRATEGY_NAMES.filter((n) => n !== 'random')],
    unknown: [],
  },
  { list: ' rr , none ', names: ['rr', 'none'], unknown: [] },
  { list: 'rr,,none,', names: ['rr', 'none'], unknown: [] },
  { list: 'bogus', names: [], unknown: ['bogus'] },
  { list: 'rr,bogus,none,RR', names: ['rr', 'none'], unknown: ['bogus', 'RR'] },
  { list: 'toString', names: [], unknown: ['toString'] },
  { list: '', names: [], unknown: [] },
];

for (const c of cases) {
  test(`resolvePolicies('${c.list}') -> names [${c.names.join(', ')}], unknown [${c.unknown.join(', ')}]`, () => {
    assert.equal(resolvePolicies(c.list), { names: c.names, unknown: c.unknown });
  });
}

test('every name in STRATEGY_NAMES has a definition whose name is its key, and nothing else is registered', () => {
  assert.equal(Object.keys(STRATEGIES), [...STRATEGY_NAMES]);
  for (const name of STRATEGY_NAMES) assert.is(STRATEGIES[name].name, name);
});

test('kinds: rr and none are native with their own policy; least-connections and random dispatch', () => {
  const kindOf = (d: StrategyDef): string => (d.kind === 'native' ? `native:${d.policy}` : d.kind);
  const expected: Record<string, string> = {
    rr: 'native:rr',
    none: 'native:none',
    reuseport: 'kernel',
    'least-connections': 'dispatch',
    random: 'dispatch',
    p2c: 'dispatch',
    sticky: 'dispatch',
    'least-requests': 'dispatch',
    proxy: 'proxy',
    'shared-handle': 'handle',
  };
  // The built-ins named here; one added later is checked by its own test.
  for (const [name, kind] of Object.entries(expected)) assert.is(isStrategyName(name) && kindOf(STRATEGIES[name]), kind, name);
});

test('every strategy but reuseport runs on Linux with Node 20 (supported() is null); reuseport says it needs 22.12', () => {
  for (const name of STRATEGY_NAMES.filter((n) => n !== 'reuseport'))
    assert.is(STRATEGIES[name].supported('linux', 'v20.11.0'), null, name);
  assert.match(STRATEGIES.reuseport.supported('linux', 'v20.11.0') ?? '', 'needs Node >= 22.12');
  assert.is(STRATEGIES.reuseport.supported('linux', 'v22.12.0'), null);
});

test('aliases resolve only to registered names', () => {
  for (const [alias, names] of Object.entries(ALIASES)) for (const n of names) assert.ok(isStrategyName(n), `${alias} -> ${n}`);
});

test('isStrategyName rejects aliases and inherited keys', () => {
  assert.equal(['rr', 'lc', 'all', 'constructor', '__proto__', 'hasOwnProperty'].map(isStrategyName), [
    true,
    false,
    false,
    false,
    false,
    false,
  ]);
});

test('validPolicyList names every strategy, then the aliases', () => {
  assert.is(validPolicyList(), `${STRATEGY_NAMES.join(', ')}, lc, lr, all`);
});

test('singlePolicyList (serve): every strategy and the aliases of one, not all', () => {
  assert.is(singlePolicyList(), `${STRATEGY_NAMES.join(', ')}, lc, lr`);
});

test.run();
