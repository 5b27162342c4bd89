// Noise profiles: the bundled default is the documented one, bad files are refused in one sentence,
// and a strategy the profile does not know falls back to the metric's pooled noise.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { noiseOf, readProfile } from '../../reports/noise.js';
import { DEFAULT_NOISE } from '../../reports/noise-default.js';
import { ROOT } from '../helpers/schema.js';

const DOC = path.join(ROOT, 'docs', 'noise', 'shared-2core.json');

test('reports/noise-default.ts is docs/noise/shared-2core.json, measured on real A/A runs', () => {
  assert.equal(DEFAULT_NOISE, JSON.parse(readFileSync(DOC, 'utf8')));
  assert.equal(readProfile(DOC), DEFAULT_NOISE);
  assert.ok(DEFAULT_NOISE.separateRuns >= 6, `${DEFAULT_NOISE.separateRuns} runs`);
  assert.ok(DEFAULT_NOISE.metrics.rps.betweenVar > 0, 'runs wander apart on a shared box');
});

test('a file that is not a profile: one sentence', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'csb-noise-'));
  const f = path.join(dir, 'x.json');
  writeFileSync(f, '{"kind": "something else"}');
  assert.throws(() => readProfile(f), /not a noise profile \(write one with: npm run compare -- --aa RUNS\.\.\.\)/);
  writeFileSync(f, '{ nope');
  assert.throws(() => readProfile(f), /cannot read it/);
  writeFileSync(f, JSON.stringify({ ...DEFAULT_NOISE, metrics: { rps: { pairVar: -1, repVar: 0, betweenVar: 0 } } }));
  assert.throws(() => readProfile(f), /numbers >= 0/);
});

test('lookup: the strategy when the profile has it, else the metric pooled; bands widen with between-run noise', () => {
  const p = {
    ...DEFAULT_NOISE,
    metrics: { rps: { pairVar: 0.01, repVar: 0.01, betweenVar: 0.04 } },
    strategies: { rr: { rps: { pairVar: 0.0001, repVar: 0.0001, betweenVar: 0 } } },
  };
  assert.is(noiseOf(p, 'rr', 'rps').betweenVar, 0);
  assert.is(noiseOf(p, 'mine', 'rps').betweenVar, 0.04);
  const band = noiseOf(p, 'mine', 'rps').band;
  assert.ok((band(false, 6) ?? 0) > (band(true, 6) ?? 0));
  assert.is(noiseOf(p, 'mine', 'nothing').band(true, 6), null);
});

test.run();
