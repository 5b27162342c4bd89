// serve's ways to stop without a signal (Windows has none to send it): --for S, and stdin ending,
// but only a pipe's or a socket's (a terminal never ends; /dev/null and files end at once).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../../format/errors.js';
import { parseServe, serveCommand, stdinStops } from '../../../scripts/commands/serve.js';
import { helpPage } from '../../../scripts/lib/command.js';

/** An fs.Stats-like answer for one kind of file. */
const stat = (kind: 'fifo' | 'socket' | 'tty' | 'file' | 'null') => ({
  isFIFO: () => kind === 'fifo',
  isSocket: () => kind === 'socket',
  isCharacterDevice: () => kind === 'tty' || kind === 'null',
  isFile: () => kind === 'file',
});

test('stdin stops serve when it is a pipe (Windows pipes too) or a socket (what Node gives a child for stdio pipe)', () => {
  assert.is(stdinStops(stat('fifo')), true);
  assert.is(stdinStops(stat('socket')), true);
});

test('stdin never stops serve when it is a terminal, /dev/null (a background & job), a file, or missing', () => {
  for (const kind of ['tty', 'null', 'file'] as const) assert.is(stdinStops(stat(kind)), false, kind);
  assert.is(stdinStops(null), false);
});

test('--for S: a whole number of seconds from 1 to 86400; absent, serve runs until stopped', () => {
  assert.is(parseServe({ for: '2' }).forS, 2);
  assert.is(parseServe({ for: '86400' }).forS, 86400);
  assert.is(parseServe({}).forS, null);
  for (const bad of ['0', '-1', '1.5', 'abc', '86401'])
    assert.throws(
      () => parseServe({ for: bad }),
      (e: Error) => e instanceof UsageError && e.message === `invalid --for '${bad}': expected a whole number from 1 to 86400`,
      bad,
    );
});

test('--node 22 is kept as a version to install when serve runs; nothing is installed while parsing', () => {
  assert.equal(parseServe({ node: '22' }).node, { version: '22' });
});

test("serve's --help says every way it stops", () => {
  const page = helpPage(serveCommand as Parameters<typeof helpPage>[0]);
  assert.match(page, /--for S +stop after S seconds/);
  assert.match(page, /stdin closing, when stdin is a pipe or a socket/);
  assert.match(page, /A terminal, \/dev\/null \(a background `&`\n\s+job\) or a file never stops it/);
  assert.match(page, /Exit codes: 0 stopped by Ctrl-C, SIGTERM, --for or stdin closing/);
});

test.run();
