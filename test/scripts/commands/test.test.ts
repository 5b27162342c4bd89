// npm test's own logic: uvu's summary read into counts, a crashed or failed tier counted as a
// failure, the skipped tests' lines collected, and its flags. Running the tiers is what npm test does.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { countsOf, SKIP_MARK, skipsOf, TIERS, testCommand, tierCounts } from '../../../scripts/commands/test.js';
import { helpPage, runCommand } from '../../../scripts/lib/command.js';
import { sink } from '../../helpers/property.js';

const UVU_SUMMARY = '• • ✘   (2 / 3)\n\n  Total:     12\n  Passed:    10\n  Skipped:   2\n  Duration:  5.00ms\n\n';

test("countsOf: uvu's Total, Passed and Skipped; failed is Total - Passed (uvu's Total leaves skipped tests out)", () => {
  assert.equal(countsOf(UVU_SUMMARY), { passed: 10, failed: 2, skipped: 2 });
  assert.equal(countsOf('  Total:     3\n  Passed:    3\n'), { passed: 3, failed: 0, skipped: 0 });
  assert.is(countsOf('SyntaxError: Unexpected token\n'), null);
});

test('tierCounts: no summary (a crash) or a failed exit with none failed is one failure; otherwise as counted', () => {
  assert.equal(tierCounts(null, 1), { counts: { passed: 0, failed: 1, skipped: 0 }, note: ' (no uvu summary: it crashed)' });
  assert.equal(tierCounts({ passed: 5, failed: 0, skipped: 1 }, 1), {
    counts: { passed: 5, failed: 1, skipped: 1 },
    note: ' (exit 1 after its tests)',
  });
  assert.equal(tierCounts({ passed: 5, failed: 2, skipped: 0 }, 1), { counts: { passed: 5, failed: 2, skipped: 0 }, note: '' });
  assert.equal(tierCounts({ passed: 5, failed: 0, skipped: 0 }, 0), { counts: { passed: 5, failed: 0, skipped: 0 }, note: '' });
});

test("skipsOf: the skipped tests' lines from stderr, without the mark", () => {
  const stderr = `noise\n${SKIP_MARK}a test (needs Linux)\nmore noise\n${SKIP_MARK}another (no chromium)\n`;
  assert.equal(skipsOf(stderr), ['a test (needs Linux)', 'another (no chromium)']);
});

test('the unit tier leaves test/e2e/ out and loads the guard; the e2e tier is test/e2e/ without it', () => {
  assert.ok(new RegExp(TIERS.unit.ignore[0]).test('e2e'));
  assert.ok(!new RegExp(TIERS.unit.ignore[0]).test('e2e-like.test.js'));
  assert.match(TIERS.unit.guard, /helpers[\\/]unit-guard\.js$/);
  assert.match(TIERS.e2e.dir, /test[\\/]e2e$/);
  assert.is(TIERS.e2e.guard, undefined);
});

test('an unknown --tier or a second pattern: exit 2, one line; --help names the tiers', async () => {
  for (const [argv, line] of [
    [['--tier', 'fast'], "error: unknown --tier 'fast' (valid: all, unit, e2e)\n"],
    [['cli', 'runner'], "error: unexpected argument 'runner' (flags start with --; see --help)\n"],
  ] as const) {
    const out = sink();
    const err = sink();
    assert.is(await runCommand(testCommand, argv, { out: out.stream, err: err.stream, signals: false }), 2, argv.join(' '));
    assert.is(err.text(), line);
    assert.is(out.text(), '');
  }
  assert.match(helpPage(testCommand), /--tier TIER\s+which tests: all, unit, e2e \(unit first\) \(default: all\)/);
});

test.run();
