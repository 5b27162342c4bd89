// The README is the front door: it must stay true to the CLI. docs/strategies.md too, where it lists names.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LOAD_MODES } from '../format/loads.js';
import { bench } from '../scripts/commands/bench.js';
import { COMMON_FLAGS, type Command, helpPage } from '../scripts/lib/command.js';
import { flagLines } from '../scripts/lib/flags.js';
import { ALIASES, STRATEGY_NAMES } from '../strategies/registry.js';

const root = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const scripts = Object.keys(
  (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts,
);

test('README shows the set-up, bench and test commands', () => {
  for (const cmd of ['npm ci', 'npm run bench', 'npm test']) assert.ok(readme.includes(cmd), cmd);
});

test('the README flag block is --help: its usage lines and every flag line, word for word', () => {
  const at = readme.indexOf('### `npm run bench` flags');
  assert.ok(at >= 0, 'the section is there');
  const block = /```\n([\s\S]*?)\n```/.exec(readme.slice(at))?.[1];
  const help = helpPage(bench as Command<unknown>).split('\n');
  const expected = [...help.filter((l) => /^( {3}or: |Usage: )/.test(l)), '', ...flagLines({ ...bench.flags, ...COMMON_FLAGS })];
  assert.fixture(block ?? '', expected.join('\n'));
});

test('the README strategy table has a row per strategy, in the registry order, with its aliases', () => {
  const rows = readme
    .split('\n')
    .filter((l) => /^\| `[a-z0-9-]+`/.test(l))
    .map((l) => /^\| `([a-z0-9-]+)`(?: \(`([a-z]+)`\))? \|/.exec(l))
    .filter((m) => m !== null);
  const tableNames = rows.map((m) => m[1]).filter((n) => (STRATEGY_NAMES as readonly string[]).includes(n));
  assert.equal(tableNames, [...STRATEGY_NAMES]);
  for (const [alias, [name]] of Object.entries(ALIASES).filter(([a]) => a !== 'all'))
    assert.ok(
      rows.some((m) => m[1] === name && m[2] === alias),
      `${name} (\`${alias}\`)`,
    );
});

test('the npm scripts use no POSIX-only shell (they run under cmd and PowerShell too)', () => {
  const all = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  for (const [name, cmd] of Object.entries(all))
    assert.not.match(cmd, /\$|`|'|;|\brm |\bcp |\bmv |\bexport |\bsource |\|\||[^&]&[^&]|\/dev\/|\benv /, `${name}: ${cmd}`);
});

test('README names every strategy and load mode', () => {
  for (const s of STRATEGY_NAMES) assert.ok(readme.includes(`\`${s}\``), s);
  for (const l of LOAD_MODES) assert.ok(readme.includes(`\`${l}\``), l);
});

test('every npm script the README runs exists', () => {
  const used = [...readme.matchAll(/npm run (?:-s )?(\w[\w:-]*)/g)].map((m) => m[1]);
  for (const s of new Set(used)) assert.ok(scripts.includes(s), `npm run ${s}`);
});

test('docs/strategies.md names every name a strategy file cannot take: each built-in and each alias', () => {
  const doc = readFileSync(path.join(root, 'docs', 'strategies.md'), 'utf8');
  const row = doc.split('\n').find((l) => l.startsWith('| `name` |'));
  assert.ok(row, 'the contract table has a `name` row');
  for (const name of [...STRATEGY_NAMES, ...Object.keys(ALIASES)]) assert.ok(row.includes(`\`${name}\``), name);
});

test.run();
