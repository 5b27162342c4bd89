// Every package npm ci installs is pinned by its hash. npm checks each tarball against the lockfile's
// `integrity`; an entry without one installs unverified. npm itself leaves it out for optional
// binaries of other platforms it never downloaded (@biomejs/cli-win32-x64, @swc/core-darwin-arm64).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  inBundle?: boolean;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
};

const SHA512 = /^sha512-[A-Za-z0-9+/]{86}==$/;

/**
 * The entries npm fetches a tarball for (a `resolved` URL, or a package under node_modules/ that is
 * not a link or bundled in another) without a sha512 `integrity`, as `path@version`.
 */
function unpinned(packages: Record<string, LockEntry>): string[] {
  return Object.entries(packages)
    .filter(([key, e]) => (e.resolved !== undefined || key.includes('node_modules/')) && !e.link && !e.inBundle)
    .filter(([, e]) => !SHA512.test(e.integrity ?? ''))
    .map(([key, e]) => `${key}@${e.version ?? '?'}`);
}

test('package-lock.json: every package has a sha512 integrity (named when one has none)', () => {
  assert.is(lock.lockfileVersion, 3);
  assert.ok(Object.keys(lock.packages).length > 100, 'the packages were read');
  assert.equal(unpinned(lock.packages), []);
});

test('an entry without integrity, or with only a sha1, is named; links, bundled packages and the root are not', () => {
  const sha512 = `sha512-${'A'.repeat(86)}==`;
  const packages: Record<string, LockEntry> = {
    '': { version: '0.1.0' },
    'node_modules/a': { version: '1.0.0', integrity: sha512 },
    'node_modules/@biomejs/cli-win32-x64': { version: '2.6.8' },
    'node_modules/b': { version: '2.0.0', resolved: 'https://registry.npmjs.org/b/-/b-2.0.0.tgz', integrity: 'sha1-abc=' },
    'node_modules/c/node_modules/d': { version: '3.0.0', inBundle: true },
    'node_modules/e': { link: true, resolved: 'packages/e' },
  };
  assert.equal(unpinned(packages), ['node_modules/@biomejs/cli-win32-x64@2.6.8', 'node_modules/b@2.0.0']);
});

test.run();
