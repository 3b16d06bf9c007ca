import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkQueue } from './workqueue.ts';

test('a key added many times while waiting runs once', async () => {
  const q = new WorkQueue();
  const runs: string[] = [];
  for (let i = 0; i < 5; i++) q.add('a');
  q.add('b');
  const done = q.run((k) => Promise.resolve(void runs.push(k)));
  await sleep(20);
  q.stop();
  await done;
  assert.deepEqual(runs.sort(), ['a', 'b']);
});

test('a key is never processed twice at once; added meanwhile, it runs again after', async () => {
  const q = new WorkQueue();
  let active = 0;
  let maxActive = 0;
  let runs = 0;
  const done = q.run(async () => {
    active++;
    maxActive = Math.max(maxActive, active);
    runs++;
    await sleep(20);
    active--;
  }, 3);
  q.add('k');
  await sleep(5);
  q.add('k');
  q.add('k');
  await sleep(80);
  q.stop();
  await done;
  assert.equal(maxActive, 1);
  assert.equal(runs, 2);
});

test('failures back off per key, and a success resets the backoff', async () => {
  const q = new WorkQueue({ baseBackoffMs: 10 });
  const times: number[] = [];
  const start = Date.now();
  const done = q.run(() => {
    times.push(Date.now() - start);
    return times.length < 4 ? Promise.reject(new Error('not yet')) : Promise.resolve();
  });
  q.add('k');
  await sleep(200);
  q.stop();
  await done;
  assert.equal(times.length, 4);
  const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
  assert.ok(gaps[0]! >= 9 && gaps[1]! >= 19 && gaps[2]! >= 39, `gaps ${gaps.join(',')} double`);
});

test('requeueAfter runs the key again later', async () => {
  const q = new WorkQueue();
  let runs = 0;
  const done = q.run(() => Promise.resolve(++runs < 3 ? { requeueAfterMs: 10 } : undefined));
  q.add('k');
  await sleep(100);
  q.stop();
  await done;
  assert.equal(runs, 3);
});
