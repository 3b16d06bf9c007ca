// GoBGP, FRR and BIRD really peer inside the bed's namespaces: sessions reach Established on both
// ends, routes flow both ways, and the GoBGP RIB is read through the generated gRPC client.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { GobgpClient, FAMILIES } from '../../src/gobgp/client.ts';
import { buildTopology, kernelRoutes, waitFor, type Topology } from '../bed/index.ts';

const NODE_ASN = 64512;
let topo: Topology;
let gobgp: GobgpClient;

before(async () => {
  topo = await buildTopology({
    nodes: 1,
    nodeAsn: NODE_ASN,
    routers: [
      { name: 'frr1', kind: 'frr', asn: 65000, originate: ['198.51.100.0/24', '2001:db8:100::/48'] },
      { name: 'bird1', kind: 'bird', asn: 65010, originate: ['203.0.113.0/24', '2001:db8:200::/48'] },
    ],
  });
  const node = topo.node('bng1');
  gobgp = new GobgpClient(node.gobgpd!.target);
  await gobgp.startBgp({ asn: NODE_ASN, routerId: node.lan.ipv4, listenPort: 179 });
  for (const router of topo.routers) {
    for (const [address, family] of [
      [router.lan.ipv4, 'ipv4-unicast'],
      [router.lan.ipv6, 'ipv6-unicast'],
    ] as const) {
      await gobgp.addPeer({
        conf: { neighborAddress: address, peerAsn: router.asn },
        timers: { config: { connectRetry: 1, holdTime: 9, keepaliveInterval: 3 } },
        afiSafis: [{ config: { family: FAMILIES[family], enabled: true } }],
      });
    }
  }
});

after(async () => {
  gobgp?.close();
  await topo?.destroy();
});

test('GoBGP reaches Established with FRR and BIRD over IPv4 and IPv6', async () => {
  const peers = await waitFor('4 GoBGP sessions Established', async () => {
    const list = await gobgp.listPeers();
    return list.length === 4 && list.every((p) => p.state?.sessionState === 'SESSION_STATE_ESTABLISHED')
      ? list
      : undefined;
  });
  assert.deepEqual(peers.map((p) => p.conf?.neighborAddress).sort(), [
    '10.100.0.1',
    '10.100.0.2',
    'fd00:100::1',
    'fd00:100::2',
  ]);
  // And the routers agree, seen from their own CLIs.
  const node = topo.node('bng1');
  for (const router of topo.routers) {
    const neighbors = await waitFor(`${router.name} sees both sessions Established`, async () => {
      const list = await router.neighbors();
      return list.filter((n) => n.state === 'Established').length === 2 ? list : undefined;
    });
    assert.deepEqual(neighbors.map((n) => n.address).sort(), [node.lan.ipv4, node.lan.ipv6].sort());
  }
});

test('routes originated by FRR and BIRD arrive in the GoBGP RIB (typed gRPC ListPath)', async () => {
  const expect = [
    { family: 'ipv4-unicast', prefix: '198.51.100.0/24', nextHop: '10.100.0.1', asn: 65000 },
    { family: 'ipv6-unicast', prefix: '2001:db8:100::/48', nextHop: 'fd00:100::1', asn: 65000 },
    { family: 'ipv4-unicast', prefix: '203.0.113.0/24', nextHop: '10.100.0.2', asn: 65010 },
    { family: 'ipv6-unicast', prefix: '2001:db8:200::/48', nextHop: 'fd00:100::2', asn: 65010 },
  ] as const;
  for (const e of expect) {
    const dest = await waitFor(`${e.prefix} in the GoBGP RIB`, async () =>
      (await gobgp.listPath(e.family)).find((d) => d.prefix === e.prefix),
    );
    const best = dest.paths.find((p) => p.best);
    assert.ok(best, `${e.prefix} has a best path`);
    assert.equal(best.neighborIp, e.nextHop.includes(':') ? e.nextHop : e.nextHop);
    assert.equal(best.sourceAsn, e.asn);
    const nextHops = best.pattrs.flatMap((a) => [
      ...(a.nextHop ? [a.nextHop.nextHop] : []),
      ...(a.mpReach ? a.mpReach.nextHops : []),
    ]);
    assert.ok(
      nextHops.includes(e.nextHop),
      `${e.prefix} next hop ${nextHops.join(',')} includes ${e.nextHop}`,
    );
  }
});

test('a path originated by GoBGP reaches FRR and BIRD with the node as next hop', async () => {
  const node = topo.node('bng1');
  await gobgp.addPath({
    family: FAMILIES['ipv4-unicast'],
    nlri: { prefix: { prefix: '10.200.1.0', prefixLen: 24 } },
    pattrs: [{ origin: { origin: 0 } }, { nextHop: { nextHop: node.lan.ipv4 } }],
  });
  for (const router of topo.routers) {
    let seen: unknown;
    await waitFor(`10.200.1.0/24 via ${node.lan.ipv4} from AS ${NODE_ASN} at ${router.name}`, async () => {
      const route = (await router.routes(4)).find((r) => r.prefix === '10.200.1.0/24');
      seen = route;
      return route?.nextHops.join() === node.lan.ipv4 && route.asPath.join() === String(NODE_ASN)
        ? true
        : undefined;
    }).catch((err: Error) => assert.fail(`${err.message}; last seen: ${JSON.stringify(seen)}`));
  }
});

test("a node namespace's kernel routes are read as iproute2 reports them", async () => {
  const node = topo.node('bng1');
  const v4 = await kernelRoutes(node.netns);
  const lan = v4.find((r) => r.dst === '10.100.0.0/24');
  assert.equal(lan?.dev, 'lan0');
  assert.equal(lan?.protocol, 'kernel');
  const v6 = await kernelRoutes(node.netns, { family: 6 });
  assert.ok(v6.some((r) => r.dst === 'fd00:100::/64' && r.dev === 'lan0'));
  // Nothing of protocol 196 yet: only route sync may put routes there.
  assert.deepEqual(await kernelRoutes(node.netns, { protocol: 196 }), []);
});
