// The dashboard and the documented alerts name only metrics the agent exports: every bngbgp_* name
// in config/grafana and docs/operations.md must be registered by the agent's metric classes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { PoolMetrics } from '../../src/bng/metrics.ts';
import { PeerMetrics } from '../../src/gobgp/peer-metrics.ts';
import { RouteSyncMetrics } from '../../src/routesync/metrics.ts';
import { ReconcileMetrics } from '../../src/runtime/reconcile-metrics.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

test('every bngbgp_* metric named in the dashboard and the alerts is exported by the agent', async () => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'bngbgp_' });
  new PoolMetrics(registry);
  new PeerMetrics(registry);
  new RouteSyncMetrics(registry);
  new ReconcileMetrics(registry);
  const exported = new Set((await registry.getMetricsAsJSON()).map((m) => m.name));
  const named = (file: string) =>
    [...readFileSync(`${REPO}${file}`, 'utf8').matchAll(/bngbgp_[a-z0-9_]+/g)].map((m) =>
      m[0].replace(/_(bucket|sum|count)$/, ''),
    );
  const files = ['config/grafana/bng-bgp-dashboard.json', 'docs/operations.md'];
  const missing = [...new Set(files.flatMap(named))].filter((n) => !exported.has(n));
  assert.deepEqual(missing, [], 'named but not exported');
  assert.ok(named(files[0] ?? '').length > 10, 'the dashboard names the metrics');
});
