// The bed cleans up after itself: a normal teardown, an interrupted test process (SIGTERM) and a
// killed one (SIGKILL, cleaned by the next bed's orphan sweep) all leave no namespace, link,
// directory or process behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { buildTopology, sweepOrphans, waitFor, type TopologySpec } from './index.ts';
import { findLeftovers } from './leftovers.ts';

const spec: TopologySpec = {
  nodes: 2,
  routers: [
    { name: 'frr1', kind: 'frr', asn: 65000 },
    { name: 'bird1', kind: 'bird', asn: 65010 },
  ],
};

interface Held {
  child: ChildProcess;
  id: string;
  dirs: string[];
}

/** Starts a separate process that builds a topology and holds it. */
async function holdTopologyInChild(): Promise<Held> {
  const script = fileURLToPath(new URL('./fixtures/hold-topology.ts', import.meta.url));
  const child = spawn(process.execPath, [script, JSON.stringify(spec)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const line = await waitFor('child topology READY', () => /^READY (.*)$/m.exec(out)?.[1], {
    timeoutMs: 120_000,
  });
  const summary = JSON.parse(line) as { id: string; nodes: { dir: string }[] };
  return { child, id: summary.id, dirs: summary.nodes.map((n) => n.dir) };
}

async function assertGone(id: string, dirs: string[]): Promise<void> {
  const left = await findLeftovers(id);
  assert.deepEqual(left.namespaces, [], 'namespaces left behind');
  assert.deepEqual(left.links, [], 'host links left behind');
  assert.deepEqual(left.processes, [], 'bed processes left behind');
  for (const dir of dirs) assert.equal(existsSync(dir), false, `${dir} left behind`);
  assert.equal(existsSync(`/var/run/frr/${id}-frr1`), false, 'FRR run directory left behind');
}

test('destroy() removes every namespace, link, directory and process', async () => {
  const topo = await buildTopology(spec);
  const before = await findLeftovers(topo.id);
  assert.equal(before.namespaces.length, 5, 'lan + 2 nodes + 2 routers');
  assert.ok(before.links.length >= 1, 'the management bridge exists');
  assert.ok(
    before.processes.some((p) => p.endsWith(' gobgpd')),
    'gobgpd runs',
  );
  await topo.destroy();
  await assertGone(
    topo.id,
    topo.nodes.map((n) => n.dir),
  );
  await topo.destroy(); // idempotent
});

test('a test process stopped with SIGTERM cleans up on its way out', async () => {
  const held = await holdTopologyInChild();
  assert.equal((await findLeftovers(held.id)).namespaces.length, 5);
  held.child.kill('SIGTERM');
  await once(held.child, 'exit');
  await assertGone(held.id, held.dirs);
});

test('what a SIGKILLed test process left is swept by the next bed', async () => {
  const held = await holdTopologyInChild();
  held.child.kill('SIGKILL');
  await once(held.child, 'exit');
  assert.equal((await findLeftovers(held.id)).namespaces.length, 5, 'SIGKILL leaves the topology behind');
  assert.ok(sweepOrphans() > 0, 'the sweep found the dead process ledger');
  await assertGone(held.id, held.dirs);
});
