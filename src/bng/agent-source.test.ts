// The agent source against a real HTTP server on loopback: the failure threshold, recovery, ETag
// revalidation (a 304 is not a change), and a bad answer that keeps the last good list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentPoolSource } from './agent-source.ts';

test('agent source: Down after failureThreshold failed polls, back on the first answer; 304s are no change', async () => {
  let healthy = true;
  let body: unknown = {
    apiVersion: 'v1',
    nodeId: 'n',
    generation: 1,
    pools: [{ id: 'p', cidr: '100.64.0.0/24', role: 'production', sharing: 'shared' }],
  };
  const hits = { full: 0, notModified: 0 };
  const server = createServer((req, res) => {
    if (req.url === '/health') return void res.writeHead(healthy ? 200 : 503).end();
    const etag = `"${JSON.stringify(body).length}"`;
    if (req.headers['if-none-match'] === etag) {
      hits.notModified++;
      return void res.writeHead(304).end();
    }
    hits.full++;
    const doc = req.url?.startsWith('/api/v1/leases')
      ? { apiVersion: 'v1', pool: 'p', generation: 1, leases: [{ ip: '100.64.0.7' }] }
      : body;
    res.writeHead(200, { etag, 'content-type': 'application/json' }).end(JSON.stringify(doc));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let changes = 0;
  const source = new AgentPoolSource(
    { url: `${base}/api/v1/pools`, healthURL: `${base}/health`, intervalMs: 100, failureThreshold: 3 },
    () => changes++,
  );
  const until = async (what: string, ok: () => boolean) => {
    for (let i = 0; i < 100 && !ok(); i++) await sleep(20);
    assert.ok(ok(), what);
  };
  try {
    source.start();
    await until('healthy with the pool and its lease', () => source.view().pools[0]?.leases?.length === 1);
    assert.deepEqual(source.view().pools[0]?.leases, ['100.64.0.7/32']);
    const settled = changes;
    await sleep(500);
    assert.equal(changes, settled, 'unchanged answers (304) must not count as changes');
    assert.ok(hits.notModified >= 4, `revalidated with ETag: ${JSON.stringify(hits)}`);

    healthy = false;
    const failedAt = performance.now();
    await until('down', () => source.view().health === 'Down');
    const ms = performance.now() - failedAt;
    assert.ok(ms >= 200, `Down only after 3 failed polls (took ${Math.round(ms)} ms)`);
    assert.match(source.view().healthError ?? '', /HTTP 503/);
    healthy = true;
    await until('healthy again', () => source.view().health === 'Healthy');

    body = { apiVersion: 'v9', nodeId: 'n', generation: 2, pools: [] };
    await until('the bad answer reported', () => /apiVersion/.test(source.view().listError ?? ''));
    assert.equal(source.view().pools.length, 1, 'the last good list is kept');
  } finally {
    await source.stop();
    server.close();
  }
});
