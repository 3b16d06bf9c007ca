// The local lab: a Kubernetes control plane, three BNG nodes each running gobgpd and the bng-bgp
// agent in its own network namespace, and two core routers (FRR and BIRD). The site is applied
// as custom resources; the operator does the rest. Prints what a network engineer would look at,
// then stays up until Ctrl-C (or, with --once, tears down and exits 0 only if all converged).
import { parseArgs } from 'node:util';
import { startOperatorBed, tools, waitFor } from '../bed/index.ts';

const { values: args } = parseArgs({ options: { once: { type: 'boolean', default: false } } });
const step = (text: string): void => console.error(`==> ${text}`);

const SITE = `
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPConfiguration
metadata: { name: lab }
spec:
  asNumber: 64512
  gracefulRestart: { enabled: true, deferralTime: 10 }
  # The operator creates each node's BGPEndpoint from its InternalIP.
  nodeEndpoint: { create: true, labels: { role: bng } }
---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPEndpoint
metadata: { name: core1, labels: { role: core } }
spec: { address: 10.100.0.1, asNumber: 65000, description: FRR }
---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPEndpoint
metadata: { name: core2, labels: { role: core } }
spec: { address: 10.100.0.2, asNumber: 65010, description: BIRD }
---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPPeeringPolicy
metadata: { name: to-core }
spec:
  mode: upstream
  selector: { matchLabels: { role: bng } }
  upstreamConfig: { peerSelector: { matchLabels: { role: core } } }
  sessionTemplate: { labels: { upstream: 'yes' }, holdTime: 9, keepaliveTime: 3, connectRetryTime: 1 }
---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPPeeringPolicy
metadata: { name: ibgp }
spec: { mode: mesh, selector: { matchLabels: { role: bng } }, sessionTemplate: { connectRetryTime: 1 } }
---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPAdvertisement
metadata: { name: subscriber-aggregate }
spec:
  prefixes: [100.64.0.0/22]
  nodeSelector: { matchLabels: { kubernetes.io/hostname: bng1 } }
  peerSelector: { matchLabels: { upstream: 'yes' } }
  communities: ['65000:100']
---
# Only subscriber space goes upstream: the BNGs must not become transit between the cores.
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPRoutePolicy
metadata: { name: upstream-export }
spec:
  type: Export
  peerSelector: { matchLabels: { upstream: 'yes' } }
  statements:
    - name: subscriber-space
      prefixSet: [{ cidr: 100.64.0.0/10, maskLengthMin: 10, maskLengthMax: 32 }]
      action: Accept
  defaultAction: Reject
`;

step('building the lab: control plane, 3 BNG nodes (gobgpd + bng-bgp agent), core1 (FRR), core2 (BIRD)');
const bed = await startOperatorBed(['frr', 'bird']);
try {
  step('applying the site: configuration, endpoints, upstream and iBGP policies, an advertisement');
  await bed.apply(SITE);
  step('waiting for the operator: 9 sessions Established, the aggregate at both cores');
  const converged = await waitFor(
    'lab converged',
    async () => {
      const sessions = JSON.parse(await bed.cp.kubectl(['get', 'bgpsessions', '-o', 'json'])) as {
        items: { status?: { sessionState?: string } }[];
      };
      const up = sessions.items.filter((s) => s.status?.sessionState === 'Established').length;
      if (up !== 9) return undefined;
      for (const core of bed.topo.routers) {
        if (!(await core.routes(4)).some((r) => r.prefix === '100.64.0.0/22')) return undefined;
      }
      return true;
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  ).catch(() => false);

  console.log(`\nlab ${bed.topo.id}   kube-apiserver ${bed.cp.server}\n`);
  console.log(await bed.cp.kubectl(['get', 'bgp,bgpnodestates']));
  for (const core of bed.topo.routers) {
    const neighbors = await core.neighbors();
    const routes = await core.routes(4);
    console.log(
      `${core.name} (${core.kind}, AS ${core.asn}): ${neighbors.filter((n) => n.state === 'Established').length}/${neighbors.length} neighbours Established`,
    );
    console.log(`  routes: ${routes.map((r) => `${r.prefix} via ${r.nextHops.join(',')}`).join('; ')}`);
  }
  console.log(`\nconverged: ${converged ? 'yes' : 'no'}`);
  if (args.once) {
    await bed.stop();
    process.exit(converged ? 0 : 1);
  } else {
    console.log(`
Try:
  export KUBECONFIG=${bed.cp.kubeconfigPath}
  ${tools.kubectl} get bgp,bgpnodestates
  ${tools.kubectl} get bgpnodestate bng1 -o yaml
  ${tools.gobgp} --target ${bed.topo.node('bng1').gobgpd!.target} neighbor
  ${bed.topo.router('core1').shell} -c 'show bgp summary'
  ${bed.topo.router('core2').shell} show protocols
  tail -f ${bed.topo.node('bng1').dir}/agent.log

The lab runs until Ctrl-C, which stops every daemon and removes every namespace.`);
    await new Promise(() => undefined);
  }
} catch (err) {
  await bed.stop();
  throw err;
}
