// `cluster-sched-bench COMMAND [flags]` (bin/cluster-sched-bench.js, also `csb`): one entry for the
// user commands; `npm run COMMAND -- [flags]` runs the same Command objects.
//
//   (nothing) | -h | --help  -> this page (stdout), 0
//   -v | --version           -> the version (stdout), 0
//   COMMAND ...              -> that command (its own -h lists its flags)
//   anything else            -> one line naming it and the commands, exit 2
import { readFileSync } from 'node:fs';
import { COMMANDS } from './commands/index.js';
import { BIN, type Command, main } from './lib/command.js';

/** The user commands, in the order the overview lists them (not `test`: a checkout's own suite, npm test). */
export const CLI_COMMANDS: readonly Command<unknown>[] = COMMANDS.filter((c) => c.name !== 'test');

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string; description: string };

export function overview(): string {
  const w = Math.max(...CLI_COMMANDS.map((c) => c.name.length));
  return [
    `${BIN} ${pkg.version}: ${pkg.description}`,
    '',
    `Usage: ${BIN} COMMAND [flags]     (${BIN} COMMAND -h: its flags and examples)`,
    `   or: npm run COMMAND -- [flags]`,
    '',
    'Commands:',
    ...CLI_COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    '',
    '  -h, --help     this page',
    '  -v, --version  print the version',
    '',
    'Examples:',
    `  ${BIN} bench                                  # every strategy this platform supports, 20 rounds of 1000 connections`,
    `  ${BIN} bench --policy rr,none --workers 4 --json > run.json`,
    `  ${BIN} report results/RUN --out site`,
    '',
    'Exit codes: 0 ok, 1 failed (a command says which), 2 bad command line, 130 / 143 interrupted (Ctrl-C / SIGTERM)',
  ].join('\n');
}

/** The command `name` names (`node:get` also as `node-get`), or undefined. */
const commandNamed = (name: string): Command<unknown> | undefined =>
  CLI_COMMANDS.find((c) => c.name === name || c.name.replace(':', '-') === name);

export async function cli(argv: readonly string[]): Promise<void> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help') {
    process.stdout.write(`${overview()}\n`);
    return;
  }
  if (first === '-v' || first === '--version') {
    process.stdout.write(`${pkg.version}\n`);
    return;
  }
  const c = commandNamed(first);
  if (c === undefined) {
    const names = CLI_COMMANDS.map((x) => x.name).join(', ');
    const what = first.startsWith('-') ? `flag '${first}' before a command` : `command '${first}'`;
    process.stderr.write(`error: unknown ${what} (commands: ${names}; -h for help)\n`);
    process.exitCode = 2;
    return;
  }
  await main(c, rest);
}
