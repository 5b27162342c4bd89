// `npm run perf:sim`: the simulator's predictions and its check against measurement.
//   --theory               ideal settings against the queueing formulas
//   --grid                 every strategy at 8, 64, 1024 workers and 50%, 90% load (docs/sim/grid.json, charts)
//   --question RUN         lowest p99 at 80% load with the primary's cost measured in RUN, at 8, 64, 1024 workers
//   --check RUNS...        each measured run against its simulation (--like), and none's wake-up models
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { msg, UsageError } from '../../format/errors.js';
import { renderSvg } from '../../reports/svg.js';
import { alignedTable } from '../../reports/text.js';
import { type Command, INTERRUPTED_EXIT } from '../../scripts/lib/command.js';
import { type FlagDoc, intFlag } from '../../scripts/lib/flags.js';
import type { Calibration } from '../../scripts/lib/sim-calibration.js';
import { parseSim } from '../../scripts/lib/sim-options.js';
import { type CheckRow, check, GRID_DEFAULTS, type GridCell, grid, question, theory, wakeFits } from '../measure/sim.js';
import { gridSpecs } from '../measure/sim-charts.js';

const FLAGS = {
  theory: {
    type: 'boolean',
    description: 'ideal settings (Poisson, exponential, no cost) against the queueing formulas, 1,000,000 requests a row',
  },
  grid: {
    type: 'boolean',
    description: 'every strategy at 8, 64 and 1024 workers, 50% and 90% load: tables, --out DIR/grid.json and SVG charts',
  },
  question: {
    type: 'string',
    value: 'RUN',
    description: "lowest p99 at 80% load at 8, 64, 1024 workers, each strategy's costs as measured in RUN",
  },
  check: { type: 'boolean', description: 'the measured runs given (folders) against their simulation, and none under each wake-up model' },
  runs: { type: 'string', value: 'N', shown: '3', description: '--check: simulated seeds per strategy' },
  requests: { type: 'string', value: 'N', shown: '400000', description: '--grid, --question: requests per cell' },
  out: { type: 'string', value: 'DIR', shown: 'docs/sim', description: 'where --grid writes grid.json and its charts' },
  seed: { type: 'string', value: 'N', shown: '1', description: 'seed' },
} as const satisfies Record<string, FlagDoc>;

interface Request {
  theory: boolean;
  grid: boolean;
  question?: string;
  check: string[];
  runs: number;
  requests: number;
  out: string;
  seed: number;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const err = (sim: number, ref: number, digits = 0): string =>
  `${sim >= ref ? '+' : '−'}${Math.abs((sim / ref - 1) * 100).toFixed(digits)}%`;

function gridTable(cells: readonly GridCell[]): string {
  return alignedTable(
    ['workers', 'load', 'strategy', 'Jain', 'top share', 'p99 ms', 'p99 / floor', 'p99.9 / floor', 'req/s simulated'],
    cells.map((c) => [
      String(c.workers),
      `${c.load * 100}%`,
      c.strategy,
      c.jain.toFixed(4),
      pct(c.topShare),
      c.p99Ms.toFixed(2),
      c.p99x.toFixed(2),
      c.p999x.toFixed(2),
      `${(c.speed / 1e6).toFixed(2)} M`,
    ]),
  );
}

function checkTable(rows: readonly CheckRow[]): string {
  return alignedTable(
    [
      'load',
      'workers',
      'strategy',
      'Jain meas',
      'Jain sim',
      'top meas',
      'top sim',
      'req/s meas',
      'req/s sim',
      'p99 meas (range)',
      'p99 sim',
      'p99 error',
    ],
    rows.map((r) => [
      r.load,
      String(r.workers),
      r.strategy,
      r.measured.jain.toFixed(3),
      r.simulated.jain.toFixed(3),
      pct(r.measured.top),
      pct(r.simulated.top),
      String(Math.round(r.measured.rps)),
      String(Math.round(r.simulated.rps)),
      `${r.measured.p99.toFixed(1)} (${r.measured.p99Min.toFixed(1)}–${r.measured.p99Max.toFixed(1)})`,
      r.simulated.p99.toFixed(1),
      err(r.simulated.p99, r.measured.p99),
    ]),
  );
}

export const perfSim: Command<Request> = {
  name: 'perf:sim',
  summary: 'Check the simulator against queueing theory and measured runs, and predict 8 to 1024 workers.',
  usage: '--theory | --grid | --question RUN | --check RUN... [flags]',
  flags: FLAGS,
  positionals: true,
  examples: [
    'npm run perf:sim -- --theory',
    'npm run perf:sim -- --grid --requests 100000 --out sim-grid',
    'npm run perf:sim -- --question results/<run-id>',
    'npm run perf:sim -- --check results/<run-id> results/<other-run-id>',
  ],
  exitCodes: `0 ok, 2 bad usage, ${INTERRUPTED_EXIT}.`,
  parse(values, positionals) {
    const checkRuns = values.check === true ? positionals : [];
    if (values.check === true && checkRuns.length === 0) throw new UsageError(msg.reportArgs('--check needs measured run folders'));
    if (values.check !== true && positionals.length > 0) throw new UsageError(msg.positional(positionals[0]));
    if (values.theory !== true && values.grid !== true && values.question === undefined && values.check !== true)
      throw new UsageError('perf:sim: give --theory, --grid, --question RUN or --check RUN... (see --help)');
    return {
      theory: values.theory === true,
      grid: values.grid === true,
      ...(values.question !== undefined && { question: String(values.question) }),
      check: checkRuns,
      runs: intFlag('runs', values.runs as string | undefined, 3, 1, 100),
      requests: intFlag('requests', values.requests as string | undefined, 400_000, 10_000, 100_000_000),
      out: String(values.out ?? path.join('docs', 'sim')),
      seed: intFlag('seed', values.seed as string | undefined, 1, 0, 2 ** 32 - 1),
    };
  },
  async run(o, { out, err: log }) {
    if (o.theory) {
      const rows = theory(1_000_000, o.seed);
      out.write(
        `theory: Poisson arrivals, exponential service, no cost, 1,000,000 requests (the first 100,000 not recorded), seed ${o.seed}; times in mean service times\n${alignedTable(
          ['strategy', 'workers', 'load', 'reference', 'theory', 'simulated', 'error'],
          rows.map((r) => [
            r.strategy,
            `${r.workers}${r.cores !== undefined ? ` on ${r.cores} core` : ''}`,
            String(r.load),
            r.reference,
            r.theory.toFixed(3),
            r.simulated.toFixed(3),
            err(r.simulated, r.theory, 1),
          ]),
        )}\n\n`,
      );
    }
    if (o.grid) {
      const s = { ...GRID_DEFAULTS, requests: o.requests, seed: o.seed };
      log.write(
        `grid: exponential service of ${s.serviceMs} ms, IPC ${s.ipcMs * 1000} µs, reports ${s.reportMs * 1000} µs late, no primary cost, a core each; ${s.requests} requests a cell, seed ${s.seed}\n`,
      );
      const cells = grid(s, (l) => log.write(`${l}\n`));
      out.write(`${gridTable(cells)}\n\n`);
      mkdirSync(o.out, { recursive: true });
      writeFileSync(path.join(o.out, 'grid.json'), `${JSON.stringify({ settings: s, cells }, null, 1)}\n`);
      for (const { id, spec } of gridSpecs(cells)) writeFileSync(path.join(o.out, `grid-${id}.svg`), await renderSvg(spec));
      log.write(`  written: ${path.join(o.out, 'grid.json')} and grid-*.svg\n`);
    }
    if (o.question !== undefined) {
      // Calibrated as --like does it: the worker overhead fitted to the measured worker CPU.
      const like = parseSim({ like: o.question }).like as Calibration;
      const sizes = [8, 64, 1024];
      const rows = question(like, sizes, o.requests, o.seed, 0.05, 0.2);
      const best = sizes.map((_, i) => Math.min(...rows.map((r) => r.p99[i] ?? Number.POSITIVE_INFINITY)));
      out.write(
        `the question: 80% load, work ${like.work}, each strategy's primary cost and the worker overhead measured in ${like.run.runId}; IPC 50 µs, reports 200 µs late, a core each\n`,
      );
      out.write(
        `${alignedTable(
          ['strategy', 'primary µs/conn', ...sizes.flatMap((n) => [`p99 ms @${n}`, `p99.9 ms @${n}`])],
          rows.map((r) => [
            r.strategy,
            r.primaryUs.toFixed(0),
            ...sizes.flatMap((_, i) => {
              const p = r.p99[i];
              return p === null ? ['saturated', '—'] : [`${p.toFixed(1)}${p === best[i] ? ' *' : ''}`, (r.p999[i] as number).toFixed(1)];
            }),
          ]),
        )}\n  * lowest p99 at that size\n\n`,
      );
    }
    if (o.check.length > 0) {
      const rows: CheckRow[] = [];
      const fits: string[][] = [];
      for (const dir of o.check) {
        const req = parseSim({ like: dir, seed: String(o.seed), runs: String(o.runs) });
        rows.push(...check(req));
        if (req.policies.includes('none'))
          for (const f of wakeFits(req, [0, 50, 200])) {
            const r = f.row;
            fits.push([
              r.load,
              String(r.workers),
              f.wake,
              String(f.acceptUs),
              `${r.measured.jain.toFixed(3)} / ${r.simulated.jain.toFixed(3)}`,
              `${pct(r.measured.top)} / ${pct(r.simulated.top)}`,
              `${r.measured.p99.toFixed(1)} / ${r.simulated.p99.toFixed(1)}`,
            ]);
          }
      }
      out.write(`measured against simulated (--like, ${o.runs} seeds each):\n${checkTable(rows)}\n\n`);
      out.write(
        `none under each wake-up model:\n${alignedTable(['load', 'workers', 'wake', 'accept µs', 'Jain meas / sim', 'top share meas / sim', 'p99 ms meas / sim'], fits)}\n`,
      );
    }
    return 0;
  },
};
