// Every relative link in README.md and docs/ leads somewhere: the file exists, and a #anchor names
// one of its headings as GitHub slugs them. Links inside code (fenced blocks, `spans`) are text, not links.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** README.md and every Markdown file under docs/. */
function markdownFiles(): string[] {
  const docs = (readdirSync(path.join(root, 'docs'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join('docs', f));
  return ['README.md', ...docs.sort()];
}

/** The text GitHub renders and links: fenced blocks and inline code spans blanked out, HTML comments too. */
function prose(md: string): string {
  return md
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/`[^`\n]*`/g, '``');
}

/** GitHub's heading anchor (github-slugger): the rendered text, lower case, punctuation but - and _ dropped, spaces to -. */
function slug(heading: string): string {
  const text = heading
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__|\*)(.*?)\1/g, '$2')
    .replace(/<[^>]+>/g, '');
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a Markdown file's headings; a repeated heading gets -1, -2, ... as on GitHub. */
function anchors(md: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const text = md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const [, heading] of text.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = slug(heading);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const [, id] of md.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) out.add(id);
  return out;
}

/** Link targets: [text](target), ![alt](target), <a href>, <img src>; titles ("...") dropped. */
function links(md: string): string[] {
  const text = prose(md);
  const out: string[] = [];
  for (const [, target] of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push(target);
  for (const [, target] of text.matchAll(/<(?:a|img)\s[^>]*?(?:href|src)="([^"]+)"/g)) out.push(target);
  return out;
}

const external = (t: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(t);

test('slug follows GitHub: code, emphasis and punctuation dropped, spaces to dashes', () => {
  assert.is(slug('`npm run bench` flags'), 'npm-run-bench-flags');
  assert.is(slug('The model (sim/engine.ts, sim/cpu.ts)'), 'the-model-simenginets-simcputs');
  assert.is(slug('Calibration: `--like RUN`'), 'calibration---like-run');
  assert.is(slug("none's wake-up order"), 'nones-wake-up-order');
  assert.is(slug('The question: the lowest p99 at 80% load'), 'the-question-the-lowest-p99-at-80-load');
  assert.is(slug('**FAQ** and [links](x.md)'), 'faq-and-links');
});

test('anchors: repeated headings get -1, -2; headings inside code blocks are not headings', () => {
  assert.equal([...anchors('# A\n## A\n```\n# B\n```\n### A\n')], ['a', 'a-1', 'a-2']);
});

for (const file of markdownFiles()) {
  test(`${file}: every relative link points at a file that exists, and at a heading it has`, () => {
    const md = readFileSync(path.join(root, file), 'utf8');
    const bad: string[] = [];
    for (const target of links(md)) {
      if (external(target)) continue;
      const [pathPart, anchor] = target.split('#', 2);
      const dest =
        pathPart === '' ? path.join(root, file) : path.resolve(path.dirname(path.join(root, file)), decodeURIComponent(pathPart));
      if (!existsSync(dest)) {
        bad.push(`${target}: no such file`);
        continue;
      }
      if (anchor === undefined || anchor === '') continue;
      if (statSync(dest).isDirectory() || !dest.endsWith('.md')) {
        bad.push(`${target}: an anchor into something that is not a Markdown file`);
        continue;
      }
      if (!anchors(readFileSync(dest, 'utf8')).has(decodeURIComponent(anchor))) bad.push(`${target}: no heading with that anchor`);
    }
    assert.equal(bad, [], `${file}:\n  ${bad.join('\n  ')}`);
  });
}

test('the link checker sees links: README links docs/ and its own headings', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const found = links(readme);
  assert.ok(
    found.some((l) => l.startsWith('docs/')),
    found.join(', '),
  );
  assert.ok(
    found.some((l) => l.startsWith('#')),
    found.join(', '),
  );
});

test.run();
