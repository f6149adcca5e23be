import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DatabaseIndex } from '../../../src/kube/database-index.js';
import { KubeApiError } from '../../../src/kube/kube-transport.js';
import { Reflector } from '../../../src/kube/reflector.js';
import { db, FakeTransport, list, notFound, until } from './fake-transport.js';

const PATH = '/apis/postgresql.cnpg.io/v1/databases';

function setup(handler: (path: string) => string) {
  const transport = new FakeTransport(handler);
  const store = new DatabaseIndex();
  const errors: KubeApiError[] = [];
  let syncs = 0;
  const r = new Reflector({ path: PATH, store, transport, backoffBaseMs: 5, backoffMaxMs: 20, onError: (e) => errors.push(e), onSynced: () => syncs++ });
  return { transport, store, errors, r, syncs: () => syncs };
}

test('lists all pages, then applies watch events from the list resourceVersion', async () => {
  const { transport, store, r, syncs } = setup((p) =>
    p.includes('continue=c1') ? list([db('a', 'two', 'pg', '11')], '20') : list([db('a', 'one', 'pg', '10')], '20', 'c1'),
  );
  r.start();
  try {
    const w = await transport.nextWatch(PATH);
    assert.match(w.path, /resourceVersion=20/);
    assert.match(w.path, /allowWatchBookmarks=true/);
    assert.equal(store.databasesOf('a', 'pg').length, 2);
    assert.equal(syncs(), 1);
    w.event('ADDED', db('a', 'three', 'pg', '21'));
    w.event('DELETED', db('a', 'one', 'pg', '22'));
    await until(() => store.databasesOf('a', 'pg').length === 2 && store.databasesOf('a', 'pg').some((d) => d.metadata?.name === 'three'));
    // A server-side timeout ends the watch: it resumes from the last seen resourceVersion, no re-list.
    w.event('BOOKMARK', { metadata: { resourceVersion: '30' } });
    w.end();
    const w2 = await transport.nextWatch(PATH, 1);
    assert.match(w2.path, /resourceVersion=30/);
    assert.equal(syncs(), 1);
  } finally {
    await r.stop();
  }
});

test('410 Gone in the watch re-lists (catching deletes missed meanwhile) without counting an error', async () => {
  let rv = 5;
  const { transport, store, errors, r, syncs } = setup(() => (rv === 5 ? list([db('a', 'one', 'pg'), db('a', 'two', 'pg')], String(rv++)) : list([db('a', 'two', 'pg')], String(rv++))));
  r.start();
  try {
    const w = await transport.nextWatch(PATH);
    assert.equal(store.size, 2);
    w.event('ERROR', { kind: 'Status', code: 410, message: 'too old resource version' } as never);
    await transport.nextWatch(PATH, 1);
    assert.equal(syncs(), 2);
    assert.equal(store.size, 1);
    assert.equal(errors.length, 0);
  } finally {
    await r.stop();
  }
});

test('resource not installed yet: errors are reported, retried with backoff, and it syncs once it exists', async () => {
  let installed = false;
  const { transport, store, errors, r, syncs } = setup(() => (installed ? list([db('a', 'one', 'pg')], '3') : notFound()));
  r.start();
  try {
    await until(() => errors.length >= 2);
    assert.equal(errors[0]?.status, 404);
    assert.equal(syncs(), 0);
    installed = true;
    await transport.nextWatch(PATH);
    assert.equal(store.size, 1);
  } finally {
    await r.stop();
  }
});

test('a broken watch stream is an error, followed by a fresh list', async () => {
  const { transport, errors, r, syncs } = setup(() => list([], '1'));
  r.start();
  try {
    const w = await transport.nextWatch(PATH);
    w.push({ fail: new KubeApiError('connection reset', undefined) });
    await transport.nextWatch(PATH, 1);
    assert.equal(errors.length, 1);
    assert.equal(syncs(), 2);
  } finally {
    await r.stop();
  }
});

test('stop() ends an open watch promptly', async () => {
  const { transport, r } = setup(() => list([], '1'));
  r.start();
  await transport.nextWatch(PATH);
  const t0 = Date.now();
  await r.stop();
  assert.ok(Date.now() - t0 < 1000);
});
