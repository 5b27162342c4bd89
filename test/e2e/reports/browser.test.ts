// The HTML page in a real headless browser (Debian chromium + playwright-core), offline: no console
// errors, every chart drew marks, one line per worker per strategy, markup from a result file
// stays text. Skipped, with the reason printed, when chromium is not installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { measured, type RunResult } from '../../../format/schema.js';
import { reportFolder, reportSite } from '../../../reports/render.js';
import { STRATEGIES, STRATEGY_NAMES } from '../../../strategies/registry.js';
import { skipIf } from '../../helpers/skip.js';
import { fourStrategies, run, runFolder, tempDir } from '../../reports/fixtures.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];
const TIMEOUT = 30_000;
const XSS = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

interface Opened {
  page: Page;
  /** Console errors and warnings, page errors, and any request that is not file: or data:. */
  problems: string[];
  ms: number;
  marks: Record<string, { line: number; rect: number; symbol: number; rule: number; text: number }>;
}

const ctx = { browser: undefined as Browser | undefined, root: '' };

async function open(file: string, width = 1300): Promise<Opened> {
  const page = await ctx.browser!.newPage({ viewport: { width, height: 900 } });
  page.setDefaultTimeout(TIMEOUT);
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!/^(file|data):/.test(r.url())) problems.push(`network request: ${r.url()}`);
  });
  const t0 = performance.now();
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => document.body.dataset.charts !== undefined);
  const ms = performance.now() - t0;
  const marks = await page.evaluate(() => {
    const count = (el: Element, sel: string): number => el.querySelectorAll(sel).length;
    return Object.fromEntries(
      [...document.querySelectorAll('.chart')].map((c) => [
        c.id.replace(/^chart-/, ''),
        {
          line: count(c, 'g.role-mark.mark-line > path'),
          rect: count(c, 'g.role-mark.mark-rect > path'),
          symbol: count(c, 'g.role-mark.mark-symbol > path'),
          rule: count(c, 'g.role-mark.mark-rule > line'),
          text: count(c, 'g.role-mark.mark-text > text'),
        },
      ]),
    );
  });
  return { page, problems, ms, marks };
}

/** Nothing scrolls sideways, and every chart's right edge is within the window. */
async function fitsTheWindow(page: Opened['page']): Promise<void> {
  const { scrollWidth, innerWidth, overflowing } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    overflowing: [...document.querySelectorAll('.chart svg')]
      .filter((svg) => svg.getBoundingClientRect().right > window.innerWidth)
      .map((svg) => `${svg.closest('.chart')?.id}: right edge ${Math.round(svg.getBoundingClientRect().right)}`),
  }));
  assert.ok(scrollWidth <= innerWidth, `the page scrolls sideways: ${scrollWidth} > ${innerWidth}`);
  assert.equal(overflowing, [], 'every chart within the window');
}

const browser = suite('report page in headless chromium');
const available = existsSync(CHROMIUM);
const it = skipIf(available ? null : `no chromium at ${CHROMIUM} (install it: apt-get install chromium, or set CHROMIUM_PATH)`, browser);

browser.before(async () => {
  if (!available) return;
  ctx.root = tempDir('csb-report-browser-');
  ctx.browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: TIMEOUT });
});

browser.after(async () => {
  await ctx.browser?.close();
});

it('default-shaped run: no console errors, no network, every chart drew marks, a line per worker per strategy; screenshot saved', async () => {
  const dir = runFolder(ctx.root, 'run', fourStrategies());
  const file = await reportFolder(dir);
  const { page, problems, ms, marks } = await open(file);
  assert.equal(problems, []);
  assert.is(await page.evaluate(() => document.body.dataset.failed), '0');
  assert.equal(Object.keys(marks), ['seed', 'heatmap', 'fairness-time', 'tradeoff', 'shares', 'fairness', 'latency', 'worker-latency']);
  assert.is(marks['fairness-time'].line, 2 * 4, 'fairness over time: Jain and top share, a line per strategy');
  assert.is(marks.tradeoff.symbol, 2 * 4, 'trade-offs: a point per strategy in each panel');
  for (const [id, m] of Object.entries(marks)) assert.ok(m.line + m.rect + m.symbol > 0, `${id} drew no marks: ${JSON.stringify(m)}`);
  assert.is(marks.seed.line, 4 * 2, 'seed chart: 4 strategies x 2 workers lines');
  assert.is(marks.seed.symbol, 4 * 2 * 5, 'seed chart: a point per round');
  assert.is(marks.seed.rule, 4, 'seed chart: an ideal line per strategy');
  assert.is(marks.shares.rect, 4 * 2);
  assert.is(marks.heatmap.rect >= 4 * 2 * 5, true, 'heatmap: a cell per strategy x worker x round');
  assert.is(marks.latency.line, 4);
  const shots = path.join(ctx.root, 'screenshots');
  mkdirSync(shots, { recursive: true });
  const shot = path.join(shots, 'report.png');
  await page.locator('#chart-seed').screenshot({ path: shot });
  await page.screenshot({ path: path.join(shots, 'report-full.png'), fullPage: true });
  console.log(`  page ${statSync(file).size} bytes, drawn in ${Math.round(ms)} ms; screenshot ${shot}`);
  await page.close();
});

for (const workers of [32, 64])
  it(`${workers} workers, ten strategies at 1280 px: nothing scrolls sideways, every chart fits and drew marks; screenshot saved`, async () => {
    const names = [...STRATEGY_NAMES];
    const wide = run(
      names.map((name, i) => ({
        name,
        counts: Array.from({ length: 4 }, (_, r) => Array.from({ length: workers }, (_, k) => 10 + ((k * (i + 1) + r) % 7))),
      })),
      { label: `w${workers}` },
    );
    const file = await reportFolder(runFolder(ctx.root, `wide-${workers}`, wide));
    const { page, problems, marks } = await open(file, 1280);
    assert.equal(problems, []);
    await fitsTheWindow(page);
    for (const [id, m] of Object.entries(marks)) assert.ok(m.line + m.rect + m.symbol > 0, `${id} drew no marks`);
    assert.is(marks.seed.line, 10 * workers, 'a line per worker per strategy');
    await page.screenshot({ path: path.join(ctx.root, 'screenshots', `workers-${workers}-1280.png`), fullPage: true });
    await page.close();
  });

it('ten strategies at 1280 px: nothing scrolls sideways, every chart fits, every strategy has its panel', async () => {
  const names = [...STRATEGY_NAMES];
  const ten = run(
    names.map((name, i) => ({ name, counts: Array.from({ length: 5 }, () => [10 + i, 10 - (i % 3)]) })),
    { label: 'ten' },
  );
  const file = await reportFolder(runFolder(ctx.root, 'ten', ten));
  const { page, problems, marks } = await open(file, 1280);
  assert.equal(problems, []);
  await fitsTheWindow(page);
  for (const id of ['seed', 'heatmap', 'shares', 'worker-latency']) {
    const headers = await page.locator(`#chart-${id} text`).allTextContents();
    assert.equal(
      names.filter((n) => !headers.includes(n)),
      [],
      `${id}: a panel per strategy`,
    );
  }
  assert.is(marks.seed.line, 10 * 2, 'a line per worker per strategy');
  await page.screenshot({ path: path.join(ctx.root, 'screenshots', 'ten-1280.png'), fullPage: true });
  await page.close();
});

it('markup in hostname, CPU, label and problems renders as text and never runs (one run and the comparison page)', async () => {
  const evil = fourStrategies({ hostname: XSS, cpuModel: XSS, label: XSS }, 'evil');
  evil.strategies[1].problems = [XSS];
  const a = runFolder(ctx.root, 'evil', evil);
  const b = runFolder(ctx.root, 'plain', fourStrategies({ label: 'plain' }, 'plain'));
  await reportSite([a, b], path.join(ctx.root, 'site'));
  for (const rel of ['runs/evil/report.html', 'compare/report.html', 'index.html']) {
    const file = path.join(ctx.root, 'site', rel);
    const page = await ctx.browser!.newPage();
    page.setDefaultTimeout(TIMEOUT);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
    if (rel !== 'index.html') await page.waitForFunction(() => document.body.dataset.charts !== undefined);
    assert.is(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, `${rel}: injected script ran`);
    assert.is(await page.locator('img[src=x]').count(), 0, `${rel}: injected element`);
    assert.ok((await page.textContent('body'))!.includes(XSS), `${rel}: the hostile text is shown as text`);
    assert.equal(errors, [], rel);
    await page.close();
  }
});

it('comparison page: both runs side by side, every chart drawn for both', async () => {
  const a = runFolder(ctx.root, 'linux-node20', fourStrategies({ label: 'linux node20' }, 'a'));
  const b = runFolder(ctx.root, 'linux-node22', fourStrategies({ label: 'linux node22', node: 'v22.23.3' }, 'b'));
  await reportSite([a, b], path.join(ctx.root, 'site2'));
  const { page, problems, marks } = await open(path.join(ctx.root, 'site2', 'compare', 'report.html'));
  assert.equal(problems, []);
  assert.is(marks.seed.line, 2 * 4 * 2, 'seed chart: 2 runs x 4 strategies x 2 workers lines');
  assert.is(marks.latency.line, 2 * 4);
  for (const [id, m] of Object.entries(marks)) assert.ok(m.line + m.rect + m.symbol > 0, `${id} drew no marks`);
  const headers = await page.locator('#chart-seed text').allTextContents();
  assert.ok(headers.includes('linux node20') && headers.includes('linux node22'), 'a row per run');
  await page.screenshot({ path: path.join(ctx.root, 'screenshots', 'compare.png'), fullPage: true });
  await page.close();
});

it('a real run (bench --workers 2 --connections 200 --rounds 5): its report.html draws every chart, a line per worker per strategy', async () => {
  const out = path.join(ctx.root, 'real');
  const bench = fileURLToPath(new URL('../../../scripts/bench.js', import.meta.url));
  const r = spawnSync(process.execPath, [bench, '--workers', '2', '--connections', '200', '--rounds', '5', '--out', out], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.is(r.status, 0, r.stderr);
  const dir = path.join(out, readdirSync(out)[0]);
  const file = path.join(dir, 'report.html');
  const { page, problems, ms, marks } = await open(file);
  assert.equal(problems, []);
  const result = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as RunResult;
  const strategies = measured(result.strategies).length;
  // --policy all: every strategy this platform and Node run (the rest are skipped entries, not drawn).
  assert.is(strategies, STRATEGY_NAMES.filter((n) => STRATEGIES[n].supported(process.platform, process.version) === null).length);
  assert.is(marks.seed.line, strategies * 2, 'a line per worker per strategy');
  for (const [id, m] of Object.entries(marks)) assert.ok(m.line + m.rect + m.symbol > 0, `${id} drew no marks`);
  const shot = path.join(dir, 'screenshot.png');
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`  real run: page ${statSync(file).size} bytes, drawn in ${Math.round(ms)} ms; screenshot ${shot}`);
  await page.close();
});

browser.run();
