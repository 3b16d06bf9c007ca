// The GoBGP driver over time: a crashed gobgpd is re-converged by the sync loop within seconds, a
// planned stop keeps our routes at the peer as stale (graceful restart), peer changes apply live
// to that peer only, an identity change restarts the speaker and re-applies everything, and a
// policy change takes effect on routes already received.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { GobgpClient } from '../../src/gobgp/client.ts';
import { GobgpDriver } from '../../src/gobgp/driver.ts';
import { GobgpSync } from '../../src/gobgp/sync.ts';
import { PeerWatcher } from '../../src/gobgp/peer-watch.ts';
import { compileNode } from '../../src/compile/compile-node.ts';
import { buildTopology, frrNeighbor, waitFor, type Topology } from '../bed/index.ts';
import { routers, siteResources, snapshotFor, type Resources } from './site.ts';

let topo: Topology;
let resources: Resources;
let client: GobgpClient;
let driver: GobgpDriver;
const others: GobgpDriver[] = [];

const frr = () => topo.router('core1');
const bng1 = () => topo.node('bng1');
const desired = () => compileNode(snapshotFor(bng1(), resources)).desired;

interface FrrPath {
  stale?: boolean;
  peer?: { peerId?: string };
}

/** bng1's path for a prefix as core1 holds it, or undefined. */
async function fromBng1AtCore1(prefix: string): Promise<FrrPath | undefined> {
  const out = JSON.parse(await frr().cli(`show bgp ipv4 unicast ${prefix} json`)) as { paths?: FrrPath[] };
  return out.paths?.find((p) => p.peer?.peerId === '10.100.0.11');
}

async function establishedWithCore1(): Promise<{ uptimeMs: number; established: number }> {
  const n = await frrNeighbor(frr(), '10.100.0.11');
  if (n.bgpState !== 'Established') throw new Error(`bng1 is ${n.bgpState} at core1`);
  return { uptimeMs: n.bgpTimerUpMsec ?? 0, established: n.connectionsEstablished ?? 0 };
}

before(async () => {
  topo = await buildTopology({ nodes: 3, routers });
  resources = siteResources();
  client = new GobgpClient(bng1().gobgpd!.target);
  driver = new GobgpDriver(client, async () => {
    await topo.restartGobgpd('bng1');
  });
  await driver.apply(desired());
  // The other nodes run too, so bng1's iBGP sessions come up as in the site.
  for (const node of topo.nodes.filter((n) => n.name !== 'bng1')) {
    const d = new GobgpDriver(new GobgpClient(node.gobgpd!.target));
    await d.apply(compileNode(snapshotFor(node, resources)).desired);
    others.push(d);
  }
  await waitFor('bng1 up at core1 with its aggregate', async () => {
    await establishedWithCore1();
    return fromBng1AtCore1('100.64.0.0/22');
  });
});

after(async () => {
  client?.close();
  for (const d of others) d.client.close();
  await topo?.destroy();
});

test('peer settings change live, on that peer only', async () => {
  const before = await establishedWithCore1();
  const writesBefore = new Map(client.writes);
  const s = resources.sessions.find((x) => x.metadata.name === 'bng1-core2')!;
  s.spec = { ...s.spec, holdTime: 30, keepaliveTime: 10 };
  const report = await driver.apply(desired());
  const delta = (m: string) => (client.writes.get(m) ?? 0) - (writesBefore.get(m) ?? 0);
  assert.equal(report.global, 'unchanged');
  assert.equal(delta('UpdatePeer'), 1, 'one UpdatePeer');
  assert.equal(delta('AddPeer') + delta('DeletePeer') + delta('StopBgp'), 0, 'nothing re-created');
  const after = await establishedWithCore1();
  assert.equal(after.established, before.established, 'the core1 session was not reset');
  const peer = (await client.listPeers()).find((p) => p.conf?.neighborAddress === '10.100.0.2');
  assert.equal(Number(peer?.timers?.config?.holdTime), 30);
});

test('a policy change applies to routes already received', async () => {
  const rib = async () => (await client.listPath('ipv4-unicast')).map((d) => d.prefix);
  assert.ok(!(await rib()).includes('10.0.0.0/8'));
  const policy = resources.routePolicies[0]!;
  const original = policy.spec;
  policy.spec = { ...original, statements: original.statements.filter((s) => s.name !== 'no-rfc1918') };
  await driver.apply(desired());
  await waitFor('10.0.0.0/8 accepted once the reject statement is gone', async () =>
    (await rib()).includes('10.0.0.0/8') ? true : undefined,
  );
  policy.spec = original;
  await driver.apply(desired());
  await waitFor('10.0.0.0/8 rejected again', async () =>
    (await rib()).includes('10.0.0.0/8') ? undefined : true,
  );
  const ours = (await client.listPolicies()).filter((p) => p.name.startsWith('bngbgp-'));
  assert.equal(ours.length, 2, 'replaced policies are deleted (scoping + import remain)');
});

test('a planned stop keeps our routes at the peer as stale, and the next start refreshes them', async () => {
  // What the agent does on a planned stop (an upgrade): no NOTIFICATION to graceful-restart peers.
  await client.stopBgp(true);
  const stale = await waitFor('core1 keeps 100.64.0.0/22 from bng1, marked stale', async () => {
    const p = await fromBng1AtCore1('100.64.0.0/22');
    return p?.stale ? p : undefined;
  });
  assert.equal(stale.stale, true);
  // The new agent finds the speaker stopped, has gobgpd replaced and converges it.
  const report = await driver.apply(desired());
  assert.equal(report.global, 'started');
  await waitFor('the path is fresh again', async () => {
    const p = await fromBng1AtCore1('100.64.0.0/22');
    return p && !p.stale ? true : undefined;
  });
});

test('an identity change restarts the speaker and re-applies everything', async () => {
  resources.configurations[0]!.spec = {
    ...resources.configurations[0]!.spec,
    routerIDSource: 'Manual',
    routerID: '192.0.2.11',
  };
  const report = await driver.apply(desired());
  assert.equal(report.global, 'restarted');
  assert.equal((await client.getBgp()).global?.routerId, '192.0.2.11');
  await waitFor('bng1 back at core1 with its aggregate', async () => {
    await establishedWithCore1();
    return fromBng1AtCore1('100.64.0.0/22');
  });
  assert.equal((await driver.apply(desired())).writes, 0, 'and then converged: no more writes');
});

test('a gobgpd killed with SIGKILL is re-converged by the sync loop within 5 s, seen on core1', async () => {
  const sync = new GobgpSync(driver, {
    resyncMs: 60_000,
    backoffMinMs: 50,
    backoffMaxMs: 500,
    onApplied: (r) => console.log(`# applied: ${JSON.stringify(r)}`),
    onError: (err, attempt) => console.log(`# apply attempt ${attempt} failed: ${String(err)}`),
  });
  const watcher = new PeerWatcher(client, { onReset: () => sync.trigger(), countsEveryMs: 1000 });
  sync.setDesired(desired());
  sync.start();
  watcher.start();
  try {
    await waitFor('the watcher sees bng1-core1 Established', () =>
      watcher.peers().find((p) => p.session === 'bng1-core1' && p.state === 'Established'),
    );
    const killedAt = Date.now();
    await topo.restartGobgpd('bng1');
    await waitFor(
      'core1 has bng1 Established again, with its aggregate, and the scoping policy in force',
      async () => {
        await establishedWithCore1();
        const path = await fromBng1AtCore1('100.64.0.0/22');
        const policies = (await client.listPolicies()).map((p) => p.name);
        return path && !path.stale && policies.some((n) => n.startsWith('bngbgp-adv-scope-'))
          ? true
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    const seconds = (Date.now() - killedAt) / 1000;
    console.log(`# re-converged ${seconds.toFixed(1)} s after gobgpd was killed`);
    assert.ok(seconds < 5, `re-converged in ${seconds.toFixed(1)} s`);
    // The restarted daemon's import policy is back too: 10.0.0.0/8 stays out of the RIB.
    assert.ok(!(await client.listPath('ipv4-unicast')).some((d) => d.prefix === '10.0.0.0/8'));
  } finally {
    await watcher.stop();
    await sync.stop();
  }
});
