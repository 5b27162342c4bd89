// One table of error codes and messages. Usage errors exit 2, failed runs exit 1.

export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type RunErrorCode = 'PRIMARY_EXIT' | 'PRIMARY_FATAL' | 'TIMEOUT';

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
  onePolicy: (v: string, valid: string) => `--policy '${v}': name one strategy (valid: ${valid})`,
  server: (v: string, valid: string) => `unknown --server '${v}' (valid: ${valid})`,
  load: (v: string, valid: string) => `unknown --load '${v}' (valid: ${valid})`,
  integer: (flag: string, v: string, min: number, max: number) => `invalid --${flag} '${v}': expected a whole number from ${min} to ${max}`,
  host: (v: string) => `invalid --host '${v}': load tests target loopback only (valid: 127.0.0.1, any 127.x.x.x, ::1, localhost)`,
  loopbackAlias: (what: string, addr: string, platform: string, fix: string, valid: string) =>
    `${what}: no ${addr} on this ${platform} machine (only Linux routes all of 127.0.0.0/8 to the loopback interface; elsewhere only 127.0.0.1 is there until you add more: ${fix}) (valid: ${valid})`,
  out: (dir: string, why: string, what = 'results to --out') => `cannot write ${what} '${dir}': ${why}`,
  notForLoad: (flag: string, load: string, modes: readonly string[]) =>
    `--${flag} does not apply to --load ${load} (only to: ${modes.join(', ')})`,
  node: (file: string, why: string, flag = 'node') =>
    `invalid --${flag} '${file}': ${why} (give a Node version such as 22 or 22.12.0, or the path of a Node.js binary)`,
  checkout: (dir: string, why: string) => `invalid --baseline-checkout '${dir}': ${why}`,
  work: (v: string, why: string, forms: string) => `invalid --work '${v}': ${why} (valid: ${forms})`,
  fault: (v: string, why: string, forms: string) => `invalid --fault '${v}': ${why} (valid: ${forms})`,
  raw: (v: string, forms: string) => `invalid --raw '${v}' (valid: ${forms})`,
  faultRound: (v: string, why: string) => `invalid --fault '${v}': ${why}`,
  url: (flag: string, v: string, why: string) => `invalid --${flag} '${v}': ${why}`,
  needs: (flag: string, other: string) => `--${flag} needs --${other}`,
  notWithTarget: (flag: string, why: string) => `--${flag} does not apply with --target ${why}`,
  nodeVersion: (given: string) => `give one Node version: a major (22) or a full version (22.12.0), got '${given}'`,
  // compare
  metric: (k: string, where: string, valid: string) => `unknown metric '${k}' in ${where} (valid: ${valid})`,
  threshold: (part: string, k: string) => `invalid --thresholds '${part}': expected ${k}=NUMBER (>= 0)`,
  alpha: (where: string, v: string) => `invalid ${where} '${v}': expected a number between 0 and 1`,
  config: (file: string, why: string) => `--config '${file}': ${why}`,
  exportFormat: (v: string, valid: string) => `unknown --export '${v}' (valid: ${valid})`,
  noise: (file: string, why: string) => `invalid --noise '${file}': ${why}`,
  compareArg: (p: string, why: string) => `cannot compare '${p}': ${why}`,
  notComparable: (why: string) => `runs with different load settings cannot be compared: ${why}`,
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
