// The one wrapper every command runs in: --help, parse errors, exit codes, --debug, cleanup.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RunError, UsageError } from '../../format/errors.js';
import { perfDispatch } from '../../perf/commands/dispatch.js';
import { perfOverhead } from '../../perf/commands/overhead.js';
import { perfPick } from '../../perf/commands/pick.js';
import { bench } from '../../scripts/commands/bench.js';
import { report } from '../../scripts/commands/report.js';
import { schema } from '../../scripts/commands/schema.js';
import { testCommand } from '../../scripts/commands/test.js';
import { COMMON_FLAGS, type Command, helpPage, runCommand } from '../../scripts/lib/command.js';
import { sink } from '../helpers/property.js';

async function run<T>(c: Command<T>, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  const err = sink();
  const code = await runCommand(c, argv, { out: out.stream, err: err.stream, signals: false });
  return { code, out: out.text(), err: err.text() };
}

let cleaned = 0;
const fake = (behaviour: () => Promise<number>): Command<{ n: number }> => ({
  name: 'fake',
  summary: 'fake: a command for the wrapper tests',
  flags: { n: { type: 'string', value: 'N', shown: '1', description: 'a number' } },
  exitCodes: '0 ok.',
  parse: (values) => {
    if (values.n === 'bad') throw new UsageError("invalid --n 'bad'");
    return { n: Number(values.n ?? 1) };
  },
  run: behaviour,
  cleanup: async () => {
    cleaned++;
  },
});

test('every command: --help on stdout, exit 0, every flag (and --debug, --help) listed once', async () => {
  for (const c of [bench, report, perfDispatch, perfOverhead, perfPick, schema, testCommand] as Array<Command<unknown>>) {
    const r = await run(c, ['--help']);
    assert.is(r.code, 0, c.name);
    assert.is(r.out, `${helpPage(c)}\n`, c.name);
    assert.is(r.err, '', c.name);
    assert.match(r.out, new RegExp(`^Usage: cluster-sched-bench ${c.name} `, 'm'));
    assert.match(r.out, new RegExp(`^   or: npm run ${c.name} -- `, 'm'));
    assert.equal((await run(c, ['-h'])).out, r.out, `${c.name}: -h is --help`);
    for (const flag of Object.keys({ ...c.flags, ...COMMON_FLAGS }))
      assert.is(r.out.match(new RegExp(`^  --${flag}(?= )`, 'gm'))?.length, 1, `${c.name} --${flag}`);
  }
});

test('bad usage: exit 2, one line naming the problem, nothing run; cleanup still runs', async () => {
  let ran = false;
  cleaned = 0;
  const c = fake(async () => {
    ran = true;
    return 0;
  });
  for (const argv of [['--n', 'bad'], ['--nope'], ['extra']]) {
    const r = await run(c, argv);
    assert.is(r.code, 2, argv.join(' '));
    assert.is(r.err.split('\n').length, 2, `one line: ${r.err}`);
    assert.match(r.err, /^error: /);
  }
  assert.is(ran, false);
  assert.is(cleaned, 3);
});

test("a failed run: its error's exit code (RunError 1), one line; the stack only with --debug", async () => {
  const c = fake(async () => {
    throw new RunError('TIMEOUT', 'rr: no snapshot reply from the primary within 10000 ms');
  });
  const quiet = await run(c, []);
  assert.equal([quiet.code, quiet.err], [1, 'error: rr: no snapshot reply from the primary within 10000 ms\n']);
  const loud = await run(c, ['--debug']);
  assert.is(loud.code, 1);
  assert.match(loud.err, /^error: rr: no snapshot reply.*\nRunError: rr: no snapshot reply[^\n]*\n\s+at /);
});

test("the run's own exit code passes through", async () => {
  assert.is(
    (
      await run(
        fake(async () => 1),
        [],
      )
    ).code,
    1,
  );
  assert.is(
    (
      await run(
        fake(async () => 0),
        ['--n', '3'],
      )
    ).code,
    0,
  );
});

test.run();
