// The worker apps by name.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SERVER_NAMES, SERVERS } from '../../servers/registry.js';

test('the server registry lists fastify and http, each building an app with its own counters', () => {
  assert.equal([...SERVER_NAMES], ['fastify', 'http']);
  assert.equal(Object.keys(SERVERS), ['fastify', 'http']);
});

test.run();
