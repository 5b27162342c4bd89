// Deterministic output and escaping, without a browser.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { labelRuns } from '../../reports/data.js';
import { esc, jsonForScript } from '../../reports/html.js';
import { mdText } from '../../reports/markdown.js';
import { planFolder, planSite, siteNames } from '../../reports/render.js';
import { charts } from '../../reports/specs.js';
import { renderSvg } from '../../reports/svg.js';
import { fourStrategies, tiny } from './fixtures.js';

const XSS = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

test('SVG: every chart renders twice to the same bytes (one run and several)', async () => {
  for (const runs of [labelRuns([fourStrategies()]), labelRuns([tiny({ label: 'a' }), tiny({ label: 'b' })])]) {
    for (const c of charts(runs)) {
      const first = await renderSvg(c.spec);
      const second = await renderSvg(structuredClone(c.spec));
      assert.ok(first.startsWith('<svg'), c.id);
      assert.ok(first === second, `${c.id}: two renders differ`);
    }
  }
});

test('every planned file (HTML, Markdown, SVG) is the same for the same input', async () => {
  const run = { dir: 'results/r', result: fourStrategies(), hasRequests: true };
  const a = await planFolder(run);
  const b = await planFolder({ ...run, result: fourStrategies() });
  assert.equal(
    a.map((f) => f.file),
    b.map((f) => f.file),
  );
  for (const [i, f] of a.entries()) assert.ok(JSON.stringify(f) === JSON.stringify(b[i]), `${f.file} differs`);
});

test('esc and jsonForScript: markup from a result file stays text', () => {
  assert.is(esc(XSS), '&lt;script&gt;window.__pwned = 1&lt;/script&gt;&lt;img src=x onerror=&quot;window.__pwned = 2&quot;&gt;');
  const json = jsonForScript({ host: XSS, sep: '\u2028' });
  assert.not.match(json, /[<>&\u2028]/);
  assert.equal(JSON.parse(json), { host: XSS, sep: '\u2028' });
  assert.is(mdText('a|b <i>*x*</i> [l](u)'), 'a\\|b &lt;i&gt;\\*x\\*&lt;/i&gt; \\[l\\](u)');
});

test('the page carries hostname, CPU and label from the file only escaped', async () => {
  const result = fourStrategies({ hostname: XSS, cpuModel: XSS, label: XSS, gitCommit: XSS });
  result.strategies[0].problems = [XSS];
  const files = await planFolder({ dir: 'r', result, hasRequests: false });
  for (const f of files) {
    const text = 'data' in f ? f.data : '';
    assert.not.ok(text.includes('<script>window'), `${f.file} has a raw <script>`);
    assert.not.ok(text.includes('<img src=x'), `${f.file} has a raw <img>`);
  }
  const html = (files.find((f) => f.file.endsWith('report.html')) as { data: string }).data;
  assert.ok(html.includes('<td>&lt;script&gt;window.__pwned = 1&lt;/script&gt;'), 'hostname shown as text');
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-/);
});

test('site folder names come from the input folders, made safe and unique', () => {
  assert.equal(siteNames(['results/a', 'other/a', 'x/b c', 'results/20261122-031006-d40c/', '.hidden']), [
    'a',
    'a-2',
    'b_c',
    '20261122-031006-d40c',
    '_hidden',
  ]);
  assert.match(siteNames(['..'])[0], /^[A-Za-z0-9_][A-Za-z0-9._-]*$/);
});

test('a site over one run has no comparison page', async () => {
  const files = await planSite([{ dir: 'results/a', result: tiny(), hasRequests: false }], 'site');
  assert.not.ok(files.some((f) => f.file.includes('compare')));
  assert.ok(files.some((f) => f.file.endsWith('index.html')));
});

test.run();
