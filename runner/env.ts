// The environment header of a run: what machine, OS and Node it measured.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { EnvInfo } from '../format/schema.js';
import { readListenCounters, unmeasuredListen } from './kernel.js';
import { nodeVersionOf } from './node-binary.js';

export function gitCommit(cwd: string): string | null {
  try {
    return (
      execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 })
        .toString()
        .trim() || null
    );
  } catch {
    return null;
  }
}

/**
 * The soft open-file limit of this process. Linux: /proc/self/limits; macOS and other Unixes: the
 * shell's `ulimit -n`; Windows has no such per-process limit for sockets, so null.
 */
export function openFileLimit(): number | null {
  try {
    if (process.platform === 'linux') {
      const line = readFileSync('/proc/self/limits', 'utf8')
        .split('\n')
        .find((l) => l.startsWith('Max open files'));
      const soft = line?.split(/\s{2,}/)[1];
      return soft === undefined || soft === 'unlimited' ? null : Number(soft);
    }
    if (process.platform === 'win32') return null;
    const out = execFileSync('sh', ['-c', 'ulimit -n'], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 })
      .toString()
      .trim();
    return out === 'unlimited' ? null : Number(out);
  } catch {
    return null;
  }
}

/** The environment of a run; `nodePath` is --node (the clusters' Node binary), if given. */
export function environment(repoDir: string, label: string | null, nodePath?: string): EnvInfo {
  const cpus = os.cpus();
  const listen =
    readListenCounters() === null
      ? { listenOverflows: unmeasuredListen(process.platform) ?? 'the counter could not be read on this machine' }
      : undefined;
  return {
    platform: process.platform,
    release: os.release(),
    arch: process.arch,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    node: process.version,
    clusterNode: nodePath === undefined ? process.version : nodeVersionOf(nodePath),
    hostname: os.hostname(),
    schedPolicyEnv: process.env.NODE_CLUSTER_SCHED_POLICY ?? null,
    openFileLimit: openFileLimit(),
    gitCommit: gitCommit(repoDir),
    label,
    ...(listen && { unmeasured: listen }),
  };
}
