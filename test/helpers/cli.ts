// Spawn the CLI as a user would, and watch every process it starts (Linux: /proc).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BENCH = fileURLToPath(new URL('../../scripts/bench.js', import.meta.url));
/** The installed command (package.json bin), plain JavaScript outside dist/. */
export const BIN = fileURLToPath(new URL('../../../bin/cluster-sched-bench.js', import.meta.url));
export const HAS_PROC = process.platform === 'linux' && existsSync('/proc/self/stat');
/** Why a test that must find a run's processes cannot run here; null where it can. */
export const NO_PROC: string | null = HAS_PROC ? null : 'needs Linux /proc to find the processes a run starts';

export interface CliRun {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  descendants: Map<number, string>;
}

/** One entry of /proc: parent pid, state and command line; null when it is gone. */
function procInfo(pid: number): { ppid: number; state: string; cmd: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // comm may hold spaces
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    return { state: rest[0], ppid: Number(rest[1]), cmd };
  } catch {
    return null;
  }
}

/** Every live descendant of `root` with its command line. */
export function descendantsOf(root: number): Map<number, string> {
  const parent = new Map<number, number>();
  const cmds = new Map<number, string>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.exec(name)) continue;
    const info = procInfo(Number(name));
    if (!info) continue;
    parent.set(Number(name), info.ppid);
    cmds.set(Number(name), info.cmd);
  }
  const found = new Map<number, string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (!found.has(pid) && (ppid === root || found.has(ppid))) {
        found.set(pid, cmds.get(pid) ?? '');
        grew = true;
      }
    }
  }
  return found;
}

/**
 * Is `pid` still running? process.kill(pid, 0) throwing ESRCH means gone; a zombie (exited, not yet
 * reaped by its new parent) is not running either. Pids are not compared by command line: one read
 * between fork and exec shows the parent's, and Linux does not reuse a pid within seconds.
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
  if (!HAS_PROC) return true;
  const info = procInfo(pid);
  return info !== null && info.state !== 'Z';
}

export interface SpawnOptions {
  /** Called once with the child (to signal it), e.g. when stderr shows something. */
  onStderr?: (text: string, child: ChildProcess) => void;
  timeoutMs?: number;
  /** Own process group, so a signal can go to the whole group as Ctrl-C does. */
  detached?: boolean;
  /** Linux: called at every poll with the processes started so far. */
  onPoll?: (descendants: ReadonlyMap<number, string>, child: ChildProcess) => void;
  /** The script to run instead of bench's (e.g. BIN, with the command in args). */
  entry?: string;
  /** Added to the child's environment (e.g. its own TMPDIR). */
  env?: Record<string, string>;
}

/** Run the CLI to completion; on Linux also record every process it started while running. */
export function runCli(args: string[], opts: SpawnOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [opts.entry ?? BENCH, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: opts.detached ?? false,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    const descendants = new Map<number, string>();
    const poll = (): void => {
      if (!child.pid || child.exitCode !== null) return;
      // An exiting process reads as an empty command line: keep the last real one.
      for (const [pid, cmd] of descendantsOf(child.pid)) if (cmd || !descendants.has(pid)) descendants.set(pid, cmd);
      opts.onPoll?.(descendants, child);
    };
    const watch = HAS_PROC ? setInterval(poll, 25) : undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bench ${args.join(' ')} did not finish within ${opts.timeoutMs ?? 60_000} ms\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      opts.onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(watch);
      resolve({ code, signal, stdout, stderr, descendants });
    });
  });
}

/** The pids of `pids` still running, after waiting up to `graceMs` for them to go. */
export async function leftAlive(pids: ReadonlyMap<number, string | undefined>, graceMs = 0): Promise<number[]> {
  const end = Date.now() + graceMs;
  let left = [...pids.keys()].filter((pid) => alive(pid));
  while (left.length > 0 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    left = left.filter((pid) => alive(pid));
  }
  return left;
}
