// The CI workflow is code too: .github/workflows/bench.yml must pass GitHub's own parser
// (@actions/workflow-parser, the one behind the Actions language service), run only npm scripts
// that exist, and cover three OSes x Node 20, 22, 24. A broken copy must fail the
// parser, so the check can fail. No network.
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TemplateParseResult, WorkflowTemplate } from '@actions/workflow-parser';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

// The parser is built for bundlers: it imports its schema (a .json file) without `with { type:
// 'json' }`, which Node refuses. This hook adds the attribute for that package's JSON only; the
// parser is then imported dynamically, after the hook is in place.
const JSON_HOOK = `export async function load(url, context, nextLoad) {
  if (url.includes('/@actions/workflow-parser/') && url.endsWith('.json') && !context.importAttributes?.type)
    return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
  return nextLoad(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(JSON_HOOK)}`, import.meta.url);
const { convertWorkflowTemplate, isLiteral, isMapping, isSequence, NoOperationTraceWriter, parseWorkflow } = await import(
  '@actions/workflow-parser'
);

type TemplateToken = NonNullable<TemplateParseResult['value']>;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NAME = '.github/workflows/bench.yml';
const TEXT = readFileSync(path.join(ROOT, NAME), 'utf8');

type Checked = { errors: string[]; root: TemplateToken | undefined; workflow: WorkflowTemplate | undefined };

/** Parse and convert as GitHub does; every error either step reports, as text. */
async function check(content: string): Promise<Checked> {
  const result = parseWorkflow({ name: NAME, content }, new NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map((e) => e.message);
  if (result.value === undefined) return { errors: [...errors, 'no workflow parsed'], root: undefined, workflow: undefined };
  const workflow = await convertWorkflowTemplate(result.context, result.value);
  for (const e of workflow.errors ?? []) if (!errors.includes(e.Message)) errors.push(e.Message);
  return { errors, root: result.value, workflow };
}

/** A parsed token as plain data (expressions as their source text). */
function plain(token: TemplateToken | undefined): unknown {
  if (token === undefined) return undefined;
  if (isMapping(token)) return Object.fromEntries([...token].map((kv) => [kv.key.toString(), plain(kv.value)]));
  if (isSequence(token)) return [...token].map(plain);
  if (isLiteral(token)) return token.toJSON();
  return token.toString();
}

test('GitHub parser: the workflow has no error', async () => {
  const { errors, workflow } = await check(TEXT);
  assert.equal(errors, []);
  assert.equal(workflow?.jobs.map((j) => j.id.value).sort(), ['ab', 'bench', 'merge', 'pages', 'test']);
});

test('GitHub parser: a broken copy is reported (the check can fail)', async () => {
  // [what is broken, the copy, what the parser must say]
  const broken: Array<[string, string, string]> = [
    ['an unknown top-level key', TEXT.replace(/^jobs:/m, 'jbos:'), "Unexpected value 'jbos'"],
    ['a job without runs-on', TEXT.replace(/^ {4}runs-on: ubuntu-latest\n/m, ''), 'Required property is missing: runs-on'],
    ['a misspelt step key', TEXT.replace('uses: actions/checkout@v4', 'usses: actions/checkout@v4'), "Unexpected value 'usses'"],
    ['an unknown expression context', TEXT.replace('inputs.publish', 'inputz.publish'), "Unrecognized named-value: 'inputz'"],
  ];
  for (const [what, text, expected] of broken) {
    assert.not.equal(text, TEXT, `${what}: the copy differs`);
    const { errors } = await check(text);
    assert.ok(
      errors.some((e) => e.includes(expected)),
      `${what}: expected "${expected}", got ${JSON.stringify(errors)}`,
    );
  }
});

test('steps and jobs that must run after a failure say !cancelled(), not always(): a cancelled run stops', () => {
  const conditions = [...TEXT.matchAll(/^\s*if: (.+)$/gm)].map((m) => m[1]);
  assert.equal(
    conditions.filter((c) => c.includes('always()')),
    [],
  );
  assert.ok(conditions.filter((c) => c.includes('!cancelled()')).length >= 3, conditions.join('; '));
});

test('every npm script the workflow runs exists', () => {
  const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const used = new Set([...TEXT.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]));
  for (const s of ['bench', 'report', 'compare']) assert.ok(used.has(s), `the workflow runs npm run ${s}`);
  const missing = [...used].filter((s) => !Object.hasOwn(scripts, s));
  assert.equal(missing, [], `npm scripts missing from package.json: ${missing.join(', ')}`);
});

type Step = {
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  'continue-on-error'?: unknown;
  'working-directory'?: string;
};
type Job = { if?: string; strategy?: { 'fail-fast'?: boolean; matrix?: Record<string, unknown> }; steps?: Step[] };

/** The workflow as the parser read it, as plain data. */
async function document(): Promise<{ jobs: Record<string, Job> }> {
  const { root } = await check(TEXT);
  return plain(root) as { jobs: Record<string, Job> };
}

test('the matrix is three OSes x Node 20, 22, 24, and no cell stops the others', async () => {
  const { strategy } = (await document()).jobs.bench;
  assert.equal(strategy?.['fail-fast'], false);
  assert.equal(Object.keys(strategy?.matrix ?? {}).sort(), ['node', 'os']);
  assert.equal(strategy?.matrix?.os, ['ubuntu-latest', 'macos-latest', 'windows-latest']);
  assert.equal(strategy?.matrix?.node, [20, 22, 24]);
});

test('lint and every test run on three OSes x the oldest and newest Node, no cell stopping the others', async () => {
  const job = (await document()).jobs.test;
  assert.ok(job, 'a test job');
  assert.equal(job.strategy?.['fail-fast'], false);
  assert.equal(job.strategy?.matrix?.os, ['ubuntu-latest', 'macos-latest', 'windows-latest']);
  assert.equal(job.strategy?.matrix?.node, [20, 24]);
  assert.is(job.if, undefined, 'runs on every event');
  const runs = (job.steps ?? []).map((s) => s.run ?? '');
  const at = (cmd: string): number => runs.findIndex((r) => r.trim() === cmd);
  for (const cmd of ['npm ci', 'npm run lint', 'npm test']) assert.ok(at(cmd) >= 0, `runs ${cmd}`);
  assert.ok(at('npm ci') < at('npm run lint') && at('npm run lint') < at('npm test'), 'install, lint, test, in order');
  for (const s of job.steps ?? []) assert.not.ok(s['continue-on-error'], `no step of the test job may fail quietly: ${s.run ?? s.uses}`);
  const test = (job.steps ?? []).find((s) => s.run === 'npm test') as Step & { env?: Record<string, string> };
  assert.match(String(test.env?.CHROMIUM_PATH), /steps\.chrome\.outputs\.chrome-path/, 'the browser tests get a browser');
  assert.ok(
    runs.some((r) => r.includes('python -m pip install prometheus-client')),
    'the /metrics test gets its parser',
  );
  assert.is(test.env?.PYTHON, 'python', 'and uses the interpreter pip installed it into');
});

test('Pages publishes from the default branch, the branch the baseline comes from', async () => {
  const { jobs } = await document();
  assert.match(String(jobs.pages.if), /github\.ref_name == github\.event\.repository\.default_branch/);
  assert.ok(TEXT.includes('Source: "GitHub Actions"'), 'the one-time Pages setting is written down');
});

test('a regression fails the merge job only after both uploads', async () => {
  const steps = (await document()).jobs.merge.steps ?? [];
  const compare = steps.findIndex((s) => s.id === 'compare');
  assert.ok(compare >= 0, 'a step with id compare');
  assert.equal(steps[compare]['continue-on-error'], true);
  const uploads = ['bench-results', 'bench-site'].map((name) =>
    steps.findIndex((s) => s.uses?.startsWith('actions/upload-artifact@') && s.with?.name === name),
  );
  for (const u of uploads) assert.ok(u > compare, 'each upload comes after compare');
  const fail = steps.findIndex((s) => s.if?.includes("steps.compare.outcome == 'failure'"));
  assert.ok(fail > Math.max(...uploads), 'the failing step comes after the uploads');
});

test('pull requests gate on one A/B run of base against head, failing only after the upload', async () => {
  const job = (await document()).jobs.ab;
  assert.ok(job, 'an ab job');
  assert.match(String(job.if), /pull_request/);
  const steps = job.steps ?? [];
  const base = steps.find((s) => s.uses?.startsWith('actions/checkout@') && s.with?.path === 'base');
  assert.match(String(base?.with?.ref), /pull_request\.base\.sha/);
  const bench = steps.find((s) => s.run?.includes('npm run bench'));
  assert.match(String(bench?.run), /--baseline-checkout \.\.\/base/);
  const ab = steps.findIndex((s) => s.id === 'ab');
  assert.match(String(steps[ab].run), /npm run compare --silent -- "\$\(dirname/, 'compare takes the one A/B run: paired');
  const upload = steps.findIndex((s) => s.uses?.startsWith('actions/upload-artifact@'));
  const fail = steps.findIndex((s) => s.if?.includes("steps.ab.outcome == 'failure'"));
  assert.ok(ab >= 0 && upload > ab && fail > upload, `compare ${ab}, upload ${upload}, fail ${fail}`);
});

test.run();
