// test/helpers/doc-commands.ts reads the commands out of markdown as a shell would split them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { docCommands, NODE_GET_MARK, shellWords, toolCommand } from './doc-commands.js';

const md = (lines: string[]): string => lines.join('\n');

test('shell words: quotes, comments, redirections, chains and node:get substitutions', () => {
  assert.equal(shellWords(`npm run -s bench -- --label "linux node20" --json > run.json   # a comment`), [
    ['npm', 'run', '-s', 'bench', '--', '--label', 'linux node20', '--json'],
  ]);
  assert.equal(shellWords(`npm ci && npm run bench -- --node "$(npm run -s node:get -- 22)" 2>&1 | tee log`), [
    ['npm', 'ci'],
    ['npm', 'run', 'bench', '--', '--node', `${NODE_GET_MARK}22`],
    ['tee', 'log'],
  ]);
  assert.equal(shellWords(`NODE_ENV=production npm run report -- 'results/a b' --out=site`), [
    ['npm', 'run', 'report', '--', 'results/a b', '--out=site'],
  ]);
  assert.throws(() => shellWords('npm run bench -- --label "open'), /unclosed "/);
  assert.throws(() => shellWords('npm run bench -- --out $(mktemp -d)'), /cannot stand in for: \$\(mktemp -d\)/);
});

test('tool commands: npm run, npm test, npx and the bin names; others are not', () => {
  assert.equal(toolCommand(['npm', 'run', '-s', 'perf:sim', '--', '--grid']), { script: 'perf:sim', args: ['--grid'], viaNpm: true });
  assert.equal(toolCommand(['npm', 'run', 'lint']), { script: 'lint', args: [], viaNpm: true });
  assert.equal(toolCommand(['npm', 'test']), { script: 'test', args: [], viaNpm: true });
  assert.equal(toolCommand(['npx', 'cluster-sched-bench', 'bench', '--policy', 'rr']), {
    script: 'bench',
    args: ['--policy', 'rr'],
    viaNpm: false,
  });
  assert.equal(toolCommand(['csb', '--version']), { script: '--version', args: [], viaNpm: false });
  assert.is(toolCommand(['npm', 'ci']), null);
  assert.is(toolCommand(['wrk', '-c', '100']), null);
  assert.throws(() => toolCommand(['npm', 'run', 'bench', '--policy', 'rr', '--', '--x']), /flags before -- go to npm/);
});

test('markdown: every block but code, continuations joined, a prompted command keeps its shown output', () => {
  const found = docCommands(
    md([
      'text npm run bench -- --not-in-a-block',
      '```sh',
      'npm run bench -- --policy rr \\',
      '  --workers 4',
      '```',
      '```js',
      'npm run bench -- --in-code',
      '```',
      '```',
      '$ npm run report -- results/broken',
      'error: bad result file',
      'cluster-sched-bench  run 20261129 (an output line, not a command)',
      '```',
    ]),
    'X.md',
  );
  assert.equal(
    found.map((c) => [c.line, c.script, c.args]),
    [
      [3, 'bench', ['--policy', 'rr', '--workers', '4']],
      [10, 'report', ['results/broken']],
    ],
  );
  assert.is(found[1].shownOutput, 'error: bad result file\ncluster-sched-bench  run 20261129 (an output line, not a command)\n');
  assert.throws(() => docCommands(md(['```', 'npm run bench -- --out "x', '```']), 'Y.md'), /Y\.md:2: unclosed "/);
});

test.run();
