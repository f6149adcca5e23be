import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff, jitter, sleep } from '../../../src/kube/backoff.js';
import { Periodic } from '../../../src/kube/periodic.js';
import { until } from './fake-transport.js';

test('backoff doubles up to its cap, jitter ±50 %, and resets', () => {
  const mid = new Backoff(100, 1000, () => 0.5); // jitter factor exactly 1
  assert.deepEqual([mid.next(), mid.next(), mid.next(), mid.next(), mid.next(), mid.next()], [100, 200, 400, 800, 1000, 1000]);
  mid.reset();
  assert.equal(mid.next(), 100);
  assert.equal(new Backoff(100, 1000, () => 0).next(), 50);
  assert.equal(new Backoff(100, 1000, () => 0.999999).next(), 150);
});

test('jitter stays within the fraction', () => {
  assert.equal(jitter(1000, 0.2, () => 0), 800);
  assert.equal(jitter(1000, 0.2, () => 1), 1200);
});

test('sleep ends early when aborted', async () => {
  const ac = new AbortController();
  const t0 = Date.now();
  setTimeout(() => ac.abort(), 20);
  await sleep(10_000, ac.signal);
  assert.ok(Date.now() - t0 < 2000);
});

test('a failing periodic task is retried soon (backoff), a succeeding one waits its interval', async () => {
  let calls = 0;
  const p = new Periodic({ intervalMs: 60_000, backoffBaseMs: 5, task: async () => ++calls >= 3 });
  p.start();
  try {
    await until(() => calls >= 3, 2000);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(calls, 3, 'after success it waits the (long) interval');
  } finally {
    await p.stop();
  }
});

test('a throwing periodic task does not escape', async () => {
  let calls = 0;
  const p = new Periodic({ intervalMs: 60_000, backoffBaseMs: 5, task: async () => {
    calls++;
    throw new Error('boom');
  } });
  p.start();
  try {
    await until(() => calls >= 2, 2000);
  } finally {
    await p.stop();
  }
});
