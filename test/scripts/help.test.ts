// Every command's --help holds to one form: a summary sentence, examples that are real command
// lines of its own flags, and the exit codes a signal gives. The commands come from the two lists
// a `cluster-sched-bench NAME` dispatches over; each name is the npm script that runs it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PERF_COMMANDS } from '../../perf/commands/index.js';
import { COMMANDS } from '../../scripts/commands/index.js';
import { COMMON_FLAGS, type Command, INTERRUPTED_EXIT } from '../../scripts/lib/command.js';
import { parseFlags } from '../../scripts/lib/flags.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPTS = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const ALL: readonly Command<unknown>[] = [...COMMANDS, ...PERF_COMMANDS];

/**
 * The summary rule: one plain sentence saying what the command does, starting with a capitalised
 * verb (so no `bench:` or `npm run X:` prefix: the usage line names the command), one line of at
 * most 110 characters, ending with a full stop.
 */
const SUMMARY = /^(?=[^\n]{1,110}$)(?!.*npm run)[A-Z][a-z]+ [^\n]*[^.\s]\.$/;

/** The command an npm script runs: its own name, or a variant of it (`test:unit` runs `test`). */
const commandOf = (script: string): Command<unknown> | undefined =>
  ALL.find((c) => script === c.name) ?? ALL.find((c) => script.startsWith(`${c.name}:`));

interface Invocation {
  script: string;
  args: string[];
}

/**
 * The npm scripts an example runs, with their arguments: the line itself and each `$(...)` in it
 * (the substitution stands as one value in the line). A comment, a redirection and a pipe's later
 * commands are dropped; quotes are undone. A line that is not `npm ...` (wrk) runs none.
 */
function invocations(example: string): Invocation[] {
  const substituted = [...example.matchAll(/\$\(([^)]*)\)/g)].map((m) => m[1]);
  const line = example
    .replace(/"?\$\([^)]*\)"?/g, 'SUBSTITUTED')
    .replace(/\s#.*$/, '')
    .split(/\s\|\s/)[0]
    .replace(/\s\d?>.*$/, '');
  return [line, ...substituted].flatMap((text) => {
    const words = [...text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
    if (words[0] !== 'npm') return [];
    const rest = words[1] === 'test' ? ['test', ...words.slice(2)] : words[1] === 'run' ? words.slice(2) : null;
    if (rest === null) throw new Error(`${example}: npm ${words[1]} is not npm run`);
    if (rest[0] === '-s') rest.shift();
    const [script, ...after] = rest;
    if (after.length > 0 && after[0] !== '--') throw new Error(`${example}: arguments without -- go to npm, not to ${script}`);
    return [{ script, args: after.slice(1) }];
  });
}

/** Parse an invocation with its command's own flag table; throws as the command would (bad usage). */
function check({ script, args }: Invocation): Command<unknown> {
  const c = commandOf(script);
  if (c === undefined || !Object.hasOwn(SCRIPTS, script)) throw new Error(`npm run ${script}: no such command script`);
  parseFlags(args, { ...c.flags, ...COMMON_FLAGS }, c.positionals ?? false);
  return c;
}

test('every command is the npm script of its name, once; every npm script that runs a command is listed', () => {
  const names = ALL.map((c) => c.name);
  assert.equal([...new Set(names)], names);
  for (const c of ALL) assert.ok(Object.hasOwn(SCRIPTS, c.name), `${c.name}: no npm script of that name`);
  // An npm script that starts a command's entry point (dist/scripts/X.js, dist/perf/X.js) is one of the list's.
  for (const [script, body] of Object.entries(SCRIPTS))
    if (/dist\/(scripts|perf)\/[\w-]+\.js/.test(body)) assert.ok(commandOf(script), `npm run ${script}: not in COMMANDS or PERF_COMMANDS`);
});

test('every summary is one plain sentence saying what the command does', () => {
  for (const c of ALL) assert.match(c.summary, SUMMARY, `${c.name}: ${c.summary}`);
  for (const bad of ['bench: run it.', 'npm run bench: runs it.', 'cluster-sched-bench: how cluster spreads connections', 'Run it'])
    assert.not.match(bad, SUMMARY, bad);
});

test('every command has examples; each runs this command or another, with flags from its table', () => {
  for (const c of ALL) {
    assert.ok((c.examples ?? []).length > 0, `${c.name}: no examples`);
    const ran = (c.examples ?? []).flatMap((e) => {
      try {
        return invocations(e).map(check);
      } catch (err) {
        throw new Error(`${c.name} example \`${e}\`: ${(err as Error).message}`);
      }
    });
    assert.ok(ran.includes(c), `${c.name}: no example runs it`);
  }
});

test('the example check reads command lines as a shell would, and fails on a flag a command lacks', () => {
  assert.equal(invocations('npm run -s bench -- --policy rr --json > run.json   # no npm banner'), [
    { script: 'bench', args: ['--policy', 'rr', '--json'] },
  ]);
  assert.equal(invocations('npm run bench -- --node "$(npm run -s node:get -- 22)" --label "a b"'), [
    { script: 'bench', args: ['--node', 'SUBSTITUTED', '--label', 'a b'] },
    { script: 'node:get', args: ['22'] },
  ]);
  assert.equal(invocations('npm test'), [{ script: 'test', args: [] }]);
  assert.equal(invocations('wrk -t2 -c100 -d10s http://127.0.0.1:3000/'), []);
  assert.throws(() => invocations('npm run bench --policy rr'), /without --/);
  assert.throws(() => check({ script: 'bench', args: ['--polcy', 'rr'] }), /--polcy/);
  assert.throws(() => check({ script: 'perf:pick', args: ['--workers', '2'] }), /--workers/);
  assert.throws(() => check({ script: 'schema', args: ['extra'] }), /extra/);
  assert.throws(() => check({ script: 'no-such', args: [] }), /no such command script/);
});

test('every exit code list says what Ctrl-C and SIGTERM give (runCommand: 130 / 143)', () => {
  for (const c of ALL) {
    assert.match(c.exitCodes, /\b130 \/ 143 .*Ctrl-C \/ SIGTERM/, c.name);
    // Interrupted, or (serve) stopped by design by the first signal, which exits 0; a second one is 130 / 143.
    const stopsOnSignal = c.endsOnSignal === true && c.exitCodes.startsWith('0 stopped by Ctrl-C');
    assert.ok(c.exitCodes.includes(INTERRUPTED_EXIT) || stopsOnSignal, `${c.name}: ${c.exitCodes}`);
  }
});

test.run();
