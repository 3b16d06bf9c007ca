// The local lab: the bed brought up as a small ISP edge — a control plane, three BNG nodes running
// gobgpd, and two upstream core routers (FRR and BIRD) — then peered and printed. Until the
// operator exists, the lab configures each gobgpd itself over the typed gRPC client; the operator
// takes that job over from the custom resources later.
import { parseArgs } from 'node:util';
import { GobgpClient, FAMILIES } from '../../src/gobgp/client.ts';
import { buildTopology, execIn, startControlPlane, tools, waitFor, type Topology } from '../bed/index.ts';

const NODE_ASN = 64512;
const { values: args } = parseArgs({ options: { once: { type: 'boolean', default: false } } });
const step = (text: string): void => console.error(`==> ${text}`);

step('building the topology: 3 BNG nodes, core1 (FRR), core2 (BIRD)');
const topo = await buildTopology({
  nodes: 3,
  nodeAsn: NODE_ASN,
  routers: [
    { name: 'core1', kind: 'frr', asn: 65000, originate: ['198.51.100.0/24', '2001:db8:100::/48'] },
    { name: 'core2', kind: 'bird', asn: 65010, originate: ['203.0.113.0/24', '2001:db8:200::/48'] },
  ],
});
step(`starting etcd, kube-apiserver and kube-controller-manager on ${topo.managementAddress}`);
const cp = await startControlPlane({ address: topo.managementAddress });

step('checking that every node namespace reaches the kube-apiserver (kubectl run inside each)');
const reach = await Promise.all(
  topo.nodes.map(async (n) => {
    const args = [`--kubeconfig=${cp.kubeconfigPath}`, 'get', '--raw', '/readyz'];
    const answer = await execIn(n.netns, tools.kubectl, args).catch((err: Error) => err.message);
    return `${n.name} reaches kube-apiserver: ${answer.trim()}`;
  }),
);

step('configuring each node’s gobgpd: eBGP to both core routers over IPv4 and IPv6');
const clients = topo.nodes.map((n) => new GobgpClient(n.gobgpd!.target));
for (const [i, node] of topo.nodes.entries()) {
  const client = clients[i]!;
  await client.startBgp({ asn: NODE_ASN, routerId: node.lan.ipv4, listenPort: 179 });
  for (const router of topo.routers) {
    for (const [address, family] of [
      [router.lan.ipv4, 'ipv4-unicast'],
      [router.lan.ipv6, 'ipv6-unicast'],
    ] as const) {
      await client.addPeer({
        conf: { neighborAddress: address, peerAsn: router.asn },
        timers: { config: { connectRetry: 1, holdTime: 9, keepaliveInterval: 3 } },
        afiSafis: [{ config: { family: FAMILIES[family], enabled: true } }],
      });
    }
  }
}

step('waiting for every session to reach Established');
const expected = topo.nodes.length * topo.routers.length * 2;
let established = 0;
await waitFor(
  `${expected} sessions Established`,
  async () => {
    const states = await Promise.all(clients.map((c) => c.listPeers()));
    established = states.flat().filter((p) => p.state?.sessionState === 'SESSION_STATE_ESTABLISHED').length;
    return established === expected ? true : undefined;
  },
  { timeoutMs: 90_000 },
).catch(() => undefined);

step('waiting for the core routers’ routes to reach every node');
const originated = 4;
await waitFor(
  `${originated} routes in every node's RIB`,
  async () => {
    const ribs = await Promise.all(
      clients.map(
        async (c) => (await c.listPath('ipv4-unicast')).length + (await c.listPath('ipv6-unicast')).length,
      ),
    );
    return ribs.every((n) => n === originated) ? true : undefined;
  },
  { timeoutMs: 90_000 },
).catch(() => undefined);

await printState(topo);
console.log(`\n${reach.join('\n')}`);
console.log(`\nsessions Established: ${established}/${expected}`);

if (args.once) {
  for (const c of clients) c.close();
  await cp.stop();
  await topo.destroy();
  const reachable = reach.every((line) => line.endsWith(': ok'));
  process.exit(established === expected && reachable ? 0 : 1);
}
console.log(`
Try:
  export KUBECONFIG=${cp.kubeconfigPath}
  ${tools.kubectl} get namespaces
  ${tools.gobgp} --target ${topo.nodes[0]!.gobgpd!.target} neighbor
  ${topo.router('core1').shell} -c 'show bgp summary'
  ${topo.router('core2').shell} show protocols
  ip netns exec ${topo.nodes[0]!.netns} ip route

The lab runs until Ctrl-C, which stops every daemon and removes every namespace.`);
setInterval(() => undefined, 1 << 30);

async function printState(t: Topology): Promise<void> {
  console.log(`\nlab ${t.id}   kube-apiserver ${cp.server}`);
  console.log('\nnode    lan                         management     gobgp API');
  for (const n of t.nodes) {
    console.log(
      `${n.name.padEnd(8)}${`${n.lan.ipv4} ${n.lan.ipv6}`.padEnd(28)}${n.management.ipv4.padEnd(15)}${n.gobgpd!.target}`,
    );
  }
  for (const r of t.routers) {
    console.log(`\n${r.name} (${r.kind}, AS ${r.asn}) neighbours:`);
    for (const nb of await r.neighbors()) console.log(`  ${nb.address.padEnd(16)} AS ${nb.asn}  ${nb.state}`);
  }
  for (const [i, n] of t.nodes.entries()) {
    const v4 = await clients[i]!.listPath('ipv4-unicast');
    const v6 = await clients[i]!.listPath('ipv6-unicast');
    console.log(`\n${n.name} RIB: ${[...v4, ...v6].map((d) => d.prefix).join('  ')}`);
  }
}
