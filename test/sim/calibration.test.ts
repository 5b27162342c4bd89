// simulate --like: what a measured open-loop run gives the simulator, and the runs it refuses.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { calibrationOf } from '../../scripts/lib/sim-calibration.js';
import { run, strategy } from '../reports/fixtures.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'csb-like-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, doc: unknown): string {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

const open = (): ReturnType<typeof run> => {
  const base = run([{ name: 'rr', counts: [[500, 500]] }]);
  const s = { ...strategy({ name: 'rr', counts: [[500, 500]] }), cpuMs: { primary: 200, workers: 2500 } };
  return {
    ...base,
    options: { ...base.options, load: 'open', rounds: 1, duration: 2, rate: 500, connections: 1, work: 'exp:2' },
    strategies: [s],
  };
};

test('an open-loop run: workers, rate, the work as the service, and per strategy the overhead and primary cost', () => {
  const c = calibrationOf(write('open', open()));
  assert.equal([c.workers, c.load, c.rate, c.duration, c.work, c.cores], [2, 'open', 500, 2, 'exp:2', 2]);
  const rr = c.strategies.get('rr');
  // 2500 ms of worker CPU over 1000 requests: 2.5 ms each, 2 of them the work; 200 ms over 1000 connections.
  assert.ok(rr && Math.abs(rr.overheadMs - 0.5) < 1e-9 && Math.abs(rr.primaryMs - 0.2) < 1e-9, JSON.stringify(rr));
});

test("a burst run: its connections and rounds, and the load generator's CPU per request", () => {
  const base = run([{ name: 'rr', counts: [[50, 50]] }]);
  const s = { ...strategy({ name: 'rr', counts: [[50, 50]] }), cpuMs: { primary: 10, workers: 60, loadGen: 20 } };
  const c = calibrationOf(write('burst', { ...base, strategies: [s] }));
  assert.equal([c.load, c.connections, c.rounds], ['burst', base.options.connections, base.options.rounds]);
  const rr = c.strategies.get('rr');
  assert.ok(rr && Math.abs(rr.clientMs - 0.2) < 1e-9 && Math.abs(rr.primaryMs - 0.1) < 1e-9, JSON.stringify(rr));
});

test('io work: a timer, no CPU of its own, so the whole worker CPU per request is the overhead', () => {
  const io = open();
  io.options = { ...io.options, work: 'io:5' };
  const rr = calibrationOf(write('io', io)).strategies.get('rr');
  assert.ok(rr && Math.abs(rr.overheadMs - 2.5) < 1e-9, JSON.stringify(rr));
});

test('refused, one sentence: a simulated run, a missing file', () => {
  const sim = { ...open(), simulated: { model: 'x', settings: {}, calibration: null } };
  assert.throws(() => calibrationOf(write('sim', sim)), /it is a simulated run; give a measured one/);
  assert.throws(() => calibrationOf(path.join(dir, 'nope')), /invalid --like '.*nope': no such file or folder/);
});

test.run();
