// The GoBGP driver against real gobgpd, FRR and BIRD: every feature is checked on the far side
// (the routers' own CLIs), or in GoBGP's RIB for what the node receives.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { GobgpClient } from '../../src/gobgp/client.ts';
import { GobgpDriver } from '../../src/gobgp/driver.ts';
import { viewOf } from '../../src/gobgp/peer-watch.ts';
import { compileNode } from '../../src/compile/compile-node.ts';
import { buildTopology, frrNeighbor, waitFor, type Topology } from '../bed/index.ts';
import { routers, siteResources, snapshotFor, type Resources } from './site.ts';

let topo: Topology;
let resources: Resources;
const drivers = new Map<string, GobgpDriver>();

const frr = () => topo.router('core1');
const bird = () => topo.router('core2');
const driver = (node: string) => drivers.get(node)!;

async function applyAll(): Promise<number> {
  let writes = 0;
  for (const node of topo.nodes) {
    const { desired, diagnostics } = compileNode(snapshotFor(node, resources));
    assert.deepEqual(diagnostics, [], `${node.name} compiles without diagnostics`);
    writes += (await driver(node.name).apply(desired)).writes;
  }
  return writes;
}

const core1Neighbor = (address: string) => frrNeighbor(frr(), address);

before(async () => {
  topo = await buildTopology({ nodes: 3, routers });
  resources = siteResources();
  for (const node of topo.nodes)
    drivers.set(node.name, new GobgpDriver(new GobgpClient(node.gobgpd!.target)));
  await applyAll();
});

after(async () => {
  for (const d of drivers.values()) d.client.close();
  await topo?.destroy();
});

test('sessions reach Established on both sides, oriented from each node', async () => {
  await waitFor('core1 sees bng1 (v4, v6), bng2 and bng1 sessions Established', async () => {
    const states = await frr().neighbors();
    const up = new Set(states.filter((n) => n.state === 'Established').map((n) => n.address));
    return ['10.100.0.11', 'fd00:100::11', '10.100.0.12'].every((a) => up.has(a)) ? true : undefined;
  });
  // core2 sees bng1, bng2 (a session whose spec names bng2 as the remote end) and bng3 (local AS 64999).
  await waitFor('core2 sees bng1, bng2, bng3 Established', async () => {
    const states = await bird().neighbors();
    return states.every((n) => n.state === 'Established') ? true : undefined;
  });
  await waitFor('bng1 iBGP sessions to bng2 and bng3 Established', async () => {
    const peers = await driver('bng1').client.listPeers();
    const ibgp = peers.filter((p) => ['10.100.0.12', '10.100.0.13'].includes(p.conf?.neighborAddress ?? ''));
    return ibgp.length === 2 && ibgp.every((p) => p.state?.sessionState === 'SESSION_STATE_ESTABLISHED')
      ? true
      : undefined;
  });
});

test('timers, MD5 and BFD on bng1-core1, as FRR sees them', async () => {
  const n = await waitFor('bng1 Established at core1', async () => {
    const x = await core1Neighbor('10.100.0.11');
    return x.bgpState === 'Established' ? x : undefined;
  });
  // Negotiated hold time is the smaller of ours (6 s) and FRR's (9 s); the MD5-protected session
  // could not be up at all if our password were missing or wrong.
  assert.equal(n.bgpTimerHoldTimeMsecs, 6000);
  const bfd = await waitFor('BFD peer bng1 up at core1', async () => {
    const peers = JSON.parse(await frr().cli('show bfd peers json')) as { peer: string; status: string }[];
    return peers.find((p) => p.peer === '10.100.0.11' && p.status === 'up');
  });
  assert.equal(bfd.status, 'up');
  const view = (await driver('bng1').client.listPeers()).map(viewOf).find((p) => p.address === '10.100.0.1');
  assert.equal(view?.bfd, 'Up', 'and bng1 itself reports BFD up');
  assert.equal(view?.state, 'Established');
});

test('multihop: bng1-core2 runs as a multihop session on both ends', async () => {
  const peer = (await driver('bng1').client.listPeers()).find(
    (p) => p.conf?.neighborAddress === '10.100.0.2',
  );
  assert.deepEqual({ ...peer?.ebgpMultihop }, { enabled: true, multihopTtl: 2 });
  // BIRD is configured `multihop 2` for bng1, and reports the session up.
  const state = await waitFor('core2 has bng1 Established', async () =>
    (await bird().neighbors()).find((n) => n.address === '10.100.0.11' && n.state === 'Established'),
  );
  assert.equal(state.state, 'Established');
});

test('passive: bng2 never dials, core1 connects to its port 179', async () => {
  const n = await waitFor('bng2 Established at core1', async () => {
    const x = await core1Neighbor('10.100.0.12');
    return x.bgpState === 'Established' ? x : undefined;
  });
  assert.equal(n.portForeign, 179, 'core1 opened the connection to bng2:179');
  const peer = (await driver('bng2').client.listPeers()).find(
    (p) => p.conf?.neighborAddress === '10.100.0.1',
  );
  assert.equal(peer?.transport?.passiveMode, true);
});

test('max-prefix: bng3 shuts the session down when core1 sends more than 1 prefix', async () => {
  const n = await waitFor('core1 reports bng3 ended the session for too many prefixes', async () => {
    const x = await core1Neighbor('10.100.0.13');
    return /Maximum|prefix/i.test(`${x.lastNotificationReason ?? ''} ${x.lastResetDueTo ?? ''}`)
      ? x
      : undefined;
  });
  assert.notEqual(n.bgpState, 'Established');
  // And the node's own live view says why, without kubectl exec.
  const view = await waitFor('bng3 reports the limit', async () => {
    const peers = (await driver('bng3').client.listPeers()).map(viewOf);
    return peers.find((p) => p.address === '10.100.0.1' && p.prefixLimitReached);
  });
  assert.equal(view.session, 'bng3-core1');
  assert.match(view.lastError ?? '', /MaximumPrefixes/);
});

test('import policy: 10.0.0.0/8 from the cores is rejected, 198.51.100.0/24 gets local-pref 200', async () => {
  const client = driver('bng1').client;
  const dest = await waitFor('198.51.100.0/24 in bng1 RIB', async () =>
    (await client.listPath('ipv4-unicast')).find((d) => d.prefix === '198.51.100.0/24'),
  );
  const localPref = dest.paths.flatMap((p) => p.pattrs).find((a) => a.localPref)?.localPref?.localPref;
  assert.equal(localPref, 200);
  assert.ok(
    (await client.listPath('ipv4-unicast')).find((d) => d.prefix === '203.0.113.0/24'),
    'core2 route accepted',
  );
  // Every upstream session rejects it on import, so it reaches no node's RIB, not even via iBGP.
  for (const node of ['bng1', 'bng2', 'bng3']) {
    const rib = await driver(node).client.listPath('ipv4-unicast');
    assert.equal(
      rib.find((d) => d.prefix === '10.0.0.0/8'),
      undefined,
      `10.0.0.0/8 in ${node}'s RIB`,
    );
  }
});

test('advertisements reach the cores with their attributes; a scoped prefix reaches core1 only', async () => {
  // core1 also hears it from bng2 (reflected to it over iBGP): look at what bng1 itself sent.
  const route = await waitFor('100.64.0.0/22 from bng1 at core1', async () =>
    (await frr().routesFrom('10.100.0.11', 4)).find((r) => r.prefix === '100.64.0.0/22'),
  );
  assert.deepEqual(route.nextHops, ['10.100.0.11']);
  assert.deepEqual(route.asPath, [64512]);
  assert.deepEqual(route.communities, ['65000:100', '65000:200']);
  assert.deepEqual(route.largeCommunities, ['64512:1:100']);
  assert.equal(route.med, 50);
  const v6 = await waitFor('2001:db8:ff::/48 from bng1 at core1', async () =>
    (await frr().routesFrom('fd00:100::11', 6)).find((r) => r.prefix === '2001:db8:ff::/48'),
  );
  assert.ok(
    v6.nextHops.some((h) => h === 'fd00:100::11'),
    `v6 next hop ${v6.nextHops.join()}`,
  );
  await waitFor('100.64.4.0/24 from bng1 at core1', async () =>
    (await frr().routesFrom('10.100.0.11', 4)).find((r) => r.prefix === '100.64.4.0/24'),
  );
  await waitFor('100.64.0.0/22 from bng1 at core2', async () =>
    (await bird().routesFrom('10.100.0.11', 4)).find((r) => r.prefix === '100.64.0.0/22'),
  );
  // Scoped by peerSelector to sessions labelled upstream=core1: core2 hears it from no node.
  assert.equal(
    (await bird().routes(4)).find((r) => r.prefix === '100.64.4.0/24'),
    undefined,
    'the core1-only prefix must not reach core2',
  );
});

test('route reflection: bng3 learns bng2’s loopback through bng1 with cluster list 10.0.0.1', async () => {
  const dest = await waitFor('192.0.2.2/32 at bng3', async () =>
    (await driver('bng3').client.listPath('ipv4-unicast')).find((d) => d.prefix === '192.0.2.2/32'),
  );
  const attrs = dest.paths.flatMap((p) => p.pattrs);
  assert.deepEqual(attrs.find((a) => a.clusterList)?.clusterList?.ids, ['10.0.0.1']);
  assert.equal(attrs.find((a) => a.originatorId)?.originatorId?.id, '10.100.0.12');
});

test('re-applying an unchanged desired state makes no write call', async () => {
  assert.equal(await applyAll(), 0);
});
