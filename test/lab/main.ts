// The local lab: a Kubernetes control plane, three BNG nodes each running gobgpd and the bng-bgp
// agent in its own network namespace, and two core routers (FRR and BIRD). The site is applied
// as custom resources; the operator does the rest. Prints what a network engineer would look at,
// then stays up until Ctrl-C (or, with --once, tears down and exits 0 only if all converged).
import { parseArgs } from 'node:util';
import { startOperatorBed, tools, waitFor } from '../bed/index.ts';
import type { AgentState } from '../bed/bng.ts';
import { readNodeStates, renderStatus } from '../../src/cli/status.ts';

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
  # Each node's BNG agent lists its pools on 127.0.0.1:9090 (docs/bng-pool-api.md).
  bngPools: { source: Agent }
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
# What the BNGs hand out: aggregates of exclusive pools, host routes of shared ones.
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPAdvertisement
metadata: { name: subscriber-pools }
spec:
  pools: { standby: { asPathPrepend: 2 } }
  peerSelector: { matchLabels: { upstream: 'yes' } }
  communities: ['65000:200']
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

/** The test BNG agents: bng1 and bng2 each serve a pool alone, bng3 is bng1's HA standby, all share one. */
const pool = (id: string, cidr: string, sharing = 'exclusive') => ({ id, cidr, role: 'production', sharing });
const BNG: Record<string, AgentState> = {
  bng1: {
    nodeId: 'bng1',
    pools: [pool('res-1', '100.64.1.0/24'), pool('shared', '100.80.0.0/16', 'shared')],
    leases: { shared: ['100.80.0.11'] },
  },
  bng2: {
    nodeId: 'bng2',
    pools: [pool('res-2', '100.64.2.0/24'), pool('shared', '100.80.0.0/16', 'shared')],
    leases: { shared: ['100.80.0.12'] },
  },
  bng3: { nodeId: 'bng3', haRole: 'standby', pools: [pool('res-1', '100.64.1.0/24')] },
};
const POOL_ROUTES = ['100.64.1.0/24', '100.64.2.0/24', '100.80.0.11/32', '100.80.0.12/32'];

step('building the lab: control plane, 3 BNG nodes (gobgpd + bng-bgp agent), core1 (FRR), core2 (BIRD)');
const bed = await startOperatorBed(['frr', 'bird']);
try {
  step('starting a test BNG agent (pool API) in each node');
  for (const [node, state] of Object.entries(BNG)) await bed.startBngAgent(node, state);
  step('applying the site: configuration, endpoints, upstream and iBGP policies, an advertisement');
  await bed.apply(SITE);
  step('waiting for the operator: 9 sessions Established, the aggregate and the BNG pools at both cores');
  const converged = await waitFor(
    'lab converged',
    async () => {
      const sessions = JSON.parse(await bed.cp.kubectl(['get', 'bgpsessions', '-o', 'json'])) as {
        items: { status?: { sessionState?: string } }[];
      };
      const up = sessions.items.filter((s) => s.status?.sessionState === 'Established').length;
      if (up !== 9) return undefined;
      for (const core of bed.topo.routers) {
        const prefixes = new Set((await core.routes(4)).map((r) => r.prefix));
        if (!['100.64.0.0/22', ...POOL_ROUTES].every((p) => prefixes.has(p))) return undefined;
      }
      return true;
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  ).catch(() => false);

  console.log(`\nlab ${bed.topo.id}   kube-apiserver ${bed.cp.server}\n`);
  console.log(await bed.cp.kubectl(['get', 'bgp,bgpnodestates']));
  console.log('bng-bgp status:\n');
  console.log(renderStatus(await readNodeStates(bed.cp.kubeconfigPath)));
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
  node src/cli/main.ts status                    # every node's peers, FIB and pools in one table
  ${tools.kubectl} get bgpnodestate bng1 -o yaml
  ${tools.gobgp} --target ${bed.topo.node('bng1').gobgpd!.target} neighbor
  ${tools.kubectl} get bgpnodestate bng1 -o jsonpath='{.status.bngPools}'
  kill $(pgrep -f 'bng-agent-server.ts.*${bed.topo.node('bng1').dir}')   # a BNG crash: its pools leave the cores
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
