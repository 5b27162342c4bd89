// `npm run node:get -- 22`: a Node binary of another version, from the npm registry's
// `node-<platform>-<arch>` packages, installed once into a cache folder (runner/node-binary.ts).
// Prints the binary's path on stdout, the version on stderr. `--node 22` installs the same way by
// itself; the path is for other tools, or for a shell's `$(...)`.
import { msg, UsageError } from '../../format/errors.js';
import { CACHE_ENV, installNode, isNodeVersion } from '../../runner/node-binary.js';
import { type Command, INTERRUPTED_EXIT } from '../lib/command.js';

export const nodeGet: Command<{ version: string }> = {
  name: 'node:get',
  summary: 'Install Node VERSION (22, 24, 22.12.0) from the npm registry into a cache and print its path.',
  usage: 'VERSION [flags]',
  notes: [
    `The cache: ${CACHE_ENV} if set, else ~/.cache/cluster-sched-bench.\n` +
      'Only the path goes to stdout (for $(...)); progress and the version go to stderr.',
  ],
  flags: {},
  positionals: true,
  examples: ['npm run node:get -- 22', 'npm run bench -- --node 22 --policy rr,none   # the same install, by bench itself'],
  exitCodes: `0 printed the path, 1 the install failed, 2 bad usage, ${INTERRUPTED_EXIT}.`,
  parse(_values, positionals) {
    const [version, ...rest] = positionals;
    if (version === undefined || rest.length > 0 || !isNodeVersion(version)) throw new UsageError(msg.nodeVersion(positionals.join(' ')));
    return { version };
  },
  async run({ version }, { err, out }) {
    const node = installNode(version, (line) => err.write(`node:get: ${line}\n`));
    err.write(`node:get: ${node.version} at ${node.binary}\n`);
    out.write(`${node.binary}\n`);
    return 0;
  },
};
