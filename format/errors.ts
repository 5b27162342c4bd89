// One table of error codes and messages. Usage errors exit 2, failed runs exit 1.

export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type RunErrorCode = 'PRIMARY_EXIT' | 'PRIMARY_FATAL' | 'TIMEOUT' | 'INTERRUPTED';

export class RunError extends Error {
  readonly exitCode = 1;
  constructor(
    readonly code: RunErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RunError';
  }
}

/** Bad-input messages: each names the bad value and the valid choices. */
export const msg = {
  policy: (v: string, valid: string) => `unknown --policy '${v}' (valid: ${valid})`,
  server: (v: string, valid: string) => `unknown --server '${v}' (valid: ${valid})`,
  load: (v: string, valid: string) => `unknown --load '${v}' (valid: ${valid})`,
  integer: (flag: string, v: string, min: number, max: number) => `invalid --${flag} '${v}': expected a whole number from ${min} to ${max}`,
  host: (v: string) => `invalid --host '${v}': load tests target loopback only (valid: 127.0.0.1, any 127.x.x.x, ::1, localhost)`,
  out: (dir: string, why: string, what = 'results to --out') => `cannot write ${what} '${dir}': ${why}`,
  notForLoad: (flag: string, load: string, modes: readonly string[]) =>
    `--${flag} does not apply to --load ${load} (only to: ${modes.join(', ')})`,
  node: (file: string, why: string) =>
    `invalid --node '${file}': ${why} (give the path of a Node.js binary, e.g. from npm run node:get -- 22)`,
  preset: (v: string, valid: string) => `unknown --preset '${v}' (valid: ${valid})`,
  unknownFlag: (v: string) => `unknown flag '${v}' (see --help)`,
  positional: (v: string) => `unexpected argument '${v}' (flags start with --; see --help)`,
  // reports
  runFolder: (dir: string, why: string) => `cannot report '${dir}': ${why}`,
  resultFile: (file: string, why: string) => `bad result file ${file}: ${why}`,
  reportArgs: (why: string) => `${why} (see --help)`,
  // npm test
  tier: (v: string, valid: string) => `unknown --tier '${v}' (valid: ${valid})`,
} as const;
