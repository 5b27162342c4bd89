// The layers look only down, and nothing imports in a cycle: dependency-cruiser with the rules in
// .dependency-cruiser.cjs, over the real tree (no violation) and over a small tree that breaks
// every kind of rule (each break reported, so the check can fail).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type IConfiguration, type IViolation } from 'dependency-cruiser';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const config = createRequire(import.meta.url)(path.join(ROOT, '.dependency-cruiser.cjs')) as IConfiguration;
const TREE = ['format', 'strategies', 'servers', 'runner', 'reports', 'scripts', 'perf', 'test'];

async function violations(baseDir: string, dirs: string[]): Promise<{ modules: number; found: string[] }> {
  // The fixture tree has no tsconfig of its own: plain relative imports need none.
  const options =
    baseDir === ROOT
      ? { ...config.options, tsConfig: { fileName: path.join(ROOT, 'tsconfig.json') } }
      : { ...config.options, tsConfig: undefined };
  const r = await cruise(dirs, { ...options, baseDir, validate: true, ruleSet: { forbidden: config.forbidden } });
  const out = r.output as Exclude<typeof r.output, string>;
  const found = out.summary.violations.map((v: IViolation) => `${v.rule.name}: ${v.from} -> ${v.to}`);
  return { modules: out.modules.length, found };
}

test('the tree has no upward import and no cycle', async () => {
  const { modules, found } = await violations(ROOT, TREE);
  assert.ok(modules > 100, `cruised the sources (${modules} modules)`);
  assert.equal(found, []);
});

test('an upward import and a cycle are both reported, by name', async () => {
  const fixture = path.join(ROOT, 'test', 'fixtures', 'layers');
  const { found } = await violations(fixture, ['format', 'runner', 'reports']);
  assert.ok(found.includes('format-looks-down: format/upward.ts -> runner/runner.ts'), found.join('\n'));
  assert.ok(
    found.some((v) => v.startsWith('no-cycles: reports/a.ts -> reports/b.ts') || v.startsWith('no-cycles: reports/b.ts -> reports/a.ts')),
    found.join('\n'),
  );
});

test('perf/ sits beside the layers: a product layer importing it, and perf importing a command, are both reported', async () => {
  const fixture = path.join(ROOT, 'test', 'fixtures', 'layers');
  const { found } = await violations(fixture, ['runner', 'perf', 'scripts']);
  assert.ok(found.includes('runner-looks-down: runner/uses-perf.ts -> perf/probe.ts'), found.join('\n'));
  assert.ok(found.includes('perf-uses-scripts-lib-only: perf/probe.ts -> scripts/commands/command.ts'), found.join('\n'));
});

test.run();
