// The operator end to end: three agents, each in its node namespace, against a real apiserver,
// gobgpd per node and two FRR cores. Checked in Kubernetes status, in each gobgpd, and on FRR.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { metricValue } from '../support/metrics.ts';
import { frrNeighbor, waitFor } from '../bed/index.ts';
import { coreEndpoints, startOperatorBed, type OperatorBed } from '../bed/operator.ts';

let bed: OperatorBed;
const NODES = ['bng1', 'bng2', 'bng3'];

interface Obj {
  metadata: { name: string; resourceVersion: string; labels?: Record<string, string> };
  status?: {
    sessionState?: string;
    conditions?: { type: string; status: string; reason: string; message: string }[];
  };
}
type List = { items: Obj[] };

const site = `
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPConfiguration
metadata: { name: site-a }
spec: { asNumber: 64512, nodeSelector: { matchLabels: { bgp.bng-edge.io/site: a } } }
${NODES.map(
  (n, i) => `---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPEndpoint
metadata: { name: ${n}, labels: { role: bng${i < 2 ? ', rr: "true"' : ''} } }
spec: { address: 10.100.0.${11 + i}, asNumber: 64512, nodeName: ${n} }`,
).join('\n')}
${coreEndpoints()}
`;

const policy = (name: string, spec: string) => `
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPPeeringPolicy
metadata: { name: ${name} }
spec: ${spec}
`;

const sessionsOf = async (policyName: string) =>
  (await bed.getJson<List>(['get', 'bgpsessions', '-l', `bgp.bng-edge.io/peering-policy=${policyName}`]))
    .items;

async function allEstablished(policyName: string, count: number): Promise<Obj[]> {
  return waitFor(
    `${count} sessions of ${policyName} Established in status`,
    async () => {
      const items = await sessionsOf(policyName);
      return items.length === count && items.every((s) => s.status?.sessionState === 'Established')
        ? items
        : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 500 },
  );
}

async function peersOf(node: string): Promise<Map<string, string>> {
  const peers = await bed.gobgp.get(node)!.listPeers();
  return new Map(peers.map((p) => [p.conf?.neighborAddress ?? '', p.state?.sessionState ?? '']));
}

before(async () => {
  bed = await startOperatorBed();
  await bed.apply(site);
});

after(async () => {
  await bed?.stop();
});

test('a mesh policy gives 3 sessions, all Established in status and in every gobgpd', async () => {
  const start = Date.now();
  await bed.apply(
    policy(
      'ibgp-mesh',
      '{ mode: mesh, selector: { matchLabels: { role: bng } }, sessionTemplate: { holdTime: 9, keepaliveTime: 3, connectRetryTime: 1 } }',
    ),
  );
  const sessions = await allEstablished('ibgp-mesh', 3);
  console.log(
    `# mesh: policy applied -> 3 sessions Established in ${((Date.now() - start) / 1000).toFixed(1)} s`,
  );
  assert.equal(new Set(sessions.map((s) => s.metadata.name)).size, 3);
  for (const node of NODES) {
    const peers = await peersOf(node);
    const others = NODES.filter((n) => n !== node).map((n) => `10.100.0.${11 + NODES.indexOf(n)}`);
    for (const address of others)
      assert.equal(peers.get(address), 'SESSION_STATE_ESTABLISHED', `${node} -> ${address}`);
  }
  const pp = await bed.getJson<Obj & { status: { generatedSessions: number; activeSessions: number } }>([
    'get',
    'bgppp',
    'ibgp-mesh',
  ]);
  await waitFor('policy status counts 3 active sessions', async () => {
    const p = await bed.getJson<Obj & { status?: { activeSessions?: number } }>([
      'get',
      'bgppp',
      'ibgp-mesh',
    ]);
    return p.status?.activeSessions === 3 ? true : undefined;
  });
  assert.ok(pp.metadata.name);
});

test('deleting the policy removes its sessions and the peers on every node', async () => {
  await bed.cp.kubectl(['delete', 'bgppp', 'ibgp-mesh']);
  await waitFor('no mesh sessions left', async () =>
    (await sessionsOf('ibgp-mesh')).length === 0 ? true : undefined,
  );
  await waitFor(
    'no iBGP peer left in any gobgpd',
    async () => {
      for (const node of NODES) {
        const peers = await peersOf(node);
        if ([...peers.keys()].some((a) => a.startsWith('10.100.0.1'))) return undefined;
      }
      return true;
    },
    { timeoutMs: 60_000 },
  );
});

test('a route-reflector policy with two reflectors', async () => {
  const start = Date.now();
  await bed.apply(
    policy(
      'ibgp-rr',
      "{ mode: route-reflector, selector: { matchLabels: { role: bng } }, routeReflectorConfig: { reflectorSelector: { matchLabels: { rr: 'true' } }, clusterID: 10.0.0.1 }, sessionTemplate: { connectRetryTime: 1 } }",
    ),
  );
  await allEstablished('ibgp-rr', 3);
  console.log(
    `# route-reflector: policy applied -> 3 sessions Established in ${((Date.now() - start) / 1000).toFixed(1)} s`,
  );
  // bng3 is a client of both reflectors; the reflectors peer with each other as non-clients.
  const bng3 = await peersOf('bng3');
  assert.deepEqual([...bng3.keys()].filter((a) => a.startsWith('10.100.0.1')).sort(), [
    '10.100.0.11',
    '10.100.0.12',
  ]);
  const onBng1 = await bed.gobgp.get('bng1')!.listPeers();
  const client = (a: string) =>
    onBng1.find((p) => p.conf?.neighborAddress === a)?.routeReflector?.routeReflectorClient;
  assert.equal(client('10.100.0.13'), true);
  assert.equal(client('10.100.0.12'), false);
});

test('an upstream policy peers every node with both FRR cores', async () => {
  const start = Date.now();
  await bed.apply(
    policy(
      'to-core',
      "{ mode: upstream, selector: { matchLabels: { role: bng } }, upstreamConfig: { peerSelector: { matchLabels: { role: pe } } }, sessionTemplate: { labels: { upstream: 'yes' }, connectRetryTime: 1 } }",
    ),
  );
  await allEstablished('to-core', 6);
  console.log(
    `# upstream: policy applied -> 6 sessions Established in ${((Date.now() - start) / 1000).toFixed(1)} s`,
  );
  for (const core of ['core1', 'core2']) {
    const neighbors = await bed.topo.router(core).neighbors();
    assert.equal(neighbors.filter((n) => n.state === 'Established').length, 3, `${core} sees 3 nodes`);
  }
});

test('/metrics: per-peer session series, GoBGP up, reconcile outcomes; promtool accepts the scrape; /readyz ok', async () => {
  const base = `http://${bed.topo.node('bng1').management.ipv4}:9179`;
  const series = (peer: string, name: string, extra = '') =>
    new RegExp(
      `^${name}\\{peer="${peer.replaceAll('.', '\\.')}",session="to-core[^"]*"${extra}\\} (\\d+)$`,
      'm',
    );
  let last = '';
  const text = await waitFor('bng1 exports its upstream sessions with their prefixes', async () => {
    last = await (await fetch(`${base}/metrics`)).text();
    const received = series('10.100.0.1', 'bngbgp_bgp_prefixes', ',direction="received"').exec(last)?.[1];
    return Number(received) >= 1 ? last : undefined;
  }).catch((err: unknown) => {
    console.log(
      last
        .split('\n')
        .filter((l) => l.startsWith('bngbgp_bgp'))
        .join('\n'),
    );
    throw err;
  });
  assert.equal(series('10.100.0.1', 'bngbgp_bgp_session_up', ',peer_asn="65000"').exec(text)?.[1], '1');
  assert.equal(series('10.100.0.2', 'bngbgp_bgp_session_state').exec(text)?.[1], '6');
  assert.equal(metricValue(text, 'bngbgp_gobgp_up'), 1);
  assert.ok(
    (metricValue(text, 'bngbgp_reconcile_total{controller="node",key="node",outcome="success"}') ?? 0) > 0,
    'node reconciles counted',
  );
  const lint = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  // prom-client's own default gauges nodejs_active_{handles,requests,resources}_total carry a
  // counter suffix (upstream naming, kept for its dashboards); every other series must pass.
  const problems = `${lint.stdout}${lint.stderr}`
    .split('\n')
    .filter(
      (l) => l.trim() && !/^bngbgp_nodejs_active_(handles|requests|resources)_total non-counter/.test(l),
    );
  assert.ok(lint.status !== null && problems.length === 0, `promtool check metrics:\n${problems.join('\n')}`);
  assert.equal((await fetch(`${base}/readyz`)).status, 200);
});

test('bng-bgp status: one table of every node and peer, read from the cluster', async () => {
  const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [
    main,
    'status',
    '--kubeconfig',
    bed.cp.kubeconfigPath,
  ]);
  assert.match(stdout, /^NODE\s+ROUTER ID\s+AS\s+READY\s+PEERS UP\s+FIB\s+BNG$/m);
  for (const [i, node] of NODES.entries())
    assert.match(
      stdout,
      new RegExp(`^${node}\\s+10\\.100\\.0\\.${11 + i}\\s+64512\\s+\\S+\\s+\\d+/\\d+`, 'm'),
    );
  assert.match(stdout, /^bng1\s+10\.100\.0\.1\s+65000\s+Established\s+\d+[smhd]/m);
  const failed = await promisify(execFile)(process.execPath, [
    main,
    'status',
    '--kubeconfig',
    bed.cp.kubeconfigPath,
    '--node',
    'nope',
  ]).then(
    () => ({ code: 0, stderr: '' }),
    (err: { code?: number; stderr?: string }) => err,
  );
  assert.equal(failed.code, 1);
  assert.equal(failed.stderr, 'bng-bgp: no BGPNodeState for node nope\n');
});

test('broken objects report why, and everything else stays converged', async () => {
  await bed.apply(`
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPSession
metadata: { name: to-ghost }
spec: { localEndpoint: bng1, remoteEndpoint: ghost }
---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPEndpoint
metadata: { name: collector }
spec: { address: 10.100.0.9, asNumber: 65100 }
---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPSession
metadata: { name: bng2-collector }
spec: { localEndpoint: bng2, remoteEndpoint: collector, password: { secretRef: { name: missing, namespace: bng-bgp } } }
`);
  for (const [name, reason] of [
    ['to-ghost', 'EndpointNotFound'],
    ['bng2-collector', 'SecretNotFound'],
  ]) {
    const ready = await waitFor(`${name} Ready=False ${reason}`, async () => {
      const s = await bed.getJson<Obj>(['get', 'bgpsession', name!]);
      return s.status?.conditions?.find(
        (c) => c.type === 'Ready' && c.status === 'False' && c.reason === reason,
      );
    });
    assert.match(ready.message, name === 'to-ghost' ? /ghost does not exist/ : /bng-bgp\/missing/);
  }
  await allEstablished('to-core', 6);
  await allEstablished('ibgp-rr', 3);
  const events = await bed.cp.kubectl([
    'get',
    'events',
    '-n',
    'default',
    '--field-selector',
    'involvedObject.name=to-ghost',
  ]);
  assert.match(events, /EndpointNotFound/);
});

test('settled: no object is rewritten for 60 s', async () => {
  const versions = async () => {
    const all = await bed.getJson<List>(['get', 'bgp,bgpnodestates']);
    return new Map(
      all.items.map((o) => [
        `${(o as { kind?: string }).kind}/${o.metadata.name}`,
        o.metadata.resourceVersion,
      ]),
    );
  };
  // Let in-flight status settle first.
  await new Promise((r) => setTimeout(r, 10_000));
  const before = await versions();
  await new Promise((r) => setTimeout(r, 60_000));
  const after = await versions();
  const changed = [...after].filter(([k, v]) => before.get(k) !== v).map(([k]) => k);
  assert.deepEqual(changed, [], 'objects rewritten after convergence');
});

test('an agent restart resets no session: core1 uptime keeps counting, status recovers', async () => {
  const read = () => frrNeighbor(bed.topo.router('core1'), '10.100.0.12');
  const before = await read();
  await bed.agents.get('bng2')!.kill();
  bed.startAgent('bng2');
  await new Promise((r) => setTimeout(r, 8_000));
  const after = await read();
  assert.equal(after.bgpState, 'Established');
  assert.equal(
    after.connectionsEstablished,
    before.connectionsEstablished,
    'the session was never re-established',
  );
  assert.ok((after.bgpTimerUpMsec ?? 0) > (before.bgpTimerUpMsec ?? 0), 'uptime kept counting');
  // The new agent works: a new advertisement for bng2 reaches its node state and core1.
  await bed.apply(`
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPAdvertisement
metadata: { name: bng2-pool }
spec: { prefixes: [100.64.8.0/24], nodeSelector: { matchLabels: { kubernetes.io/hostname: bng2 } } }
`);
  await waitFor('bng2 advertises 100.64.8.0/24', async () => {
    const s = await bed.getJson<{ status?: { advertisedPrefixes?: string[] } }>([
      'get',
      'bgpnodestate',
      'bng2',
    ]);
    return s.status?.advertisedPrefixes?.includes('100.64.8.0/24') ? true : undefined;
  });
  await waitFor('core1 has 100.64.8.0/24 from bng2', async () =>
    (await bed.topo.router('core1').routesFrom('10.100.0.12', 4)).find((r) => r.prefix === '100.64.8.0/24'),
  );
});

test('leader failover: another agent takes over within the lease time and keeps generating sessions', async () => {
  const holder = async () =>
    (
      await bed.getJson<{ spec: { holderIdentity?: string } }>([
        'get',
        'lease',
        '-n',
        'bng-bgp',
        'bng-bgp-leader',
      ])
    ).spec.holderIdentity;
  const leader = await waitFor('a leader', async () => (await holder()) || undefined);
  const killedAt = Date.now();
  await bed.agents.get(leader)!.kill();
  const successor = await waitFor(
    'another leader',
    async () => {
      const h = await holder();
      return h && h !== leader ? h : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  const seconds = (Date.now() - killedAt) / 1000;
  console.log(`# leader ${leader} killed -> ${successor} leads after ${seconds.toFixed(1)} s (lease 6 s)`);
  assert.ok(seconds < 6 + 4, `took over in ${seconds.toFixed(1)} s`);
  await bed.apply(policy('pe-only', '{ mode: mesh, selector: { matchLabels: { role: pe } } }'));
  await waitFor('the new leader generates the new policy’s session', async () =>
    (await sessionsOf('pe-only')).length === 1 ? true : undefined,
  );
  bed.startAgent(leader);
});

test('a router ID shared by several nodes is reported on the configuration', async () => {
  await bed.cp.kubectl([
    'patch',
    'bgpconfig',
    'site-a',
    '--type=merge',
    '-p',
    '{"spec":{"routerIDSource":"Manual","routerID":"192.0.2.1"}}',
  ]);
  const ready = await waitFor('site-a reports all three nodes colliding', async () => {
    const c = await bed.getJson<Obj>(['get', 'bgpconfig', 'site-a']);
    const r = c.status?.conditions?.find((x) => x.type === 'Ready' && x.reason === 'RouterIDCollision');
    return r && /bng1, bng2, bng3 all use router ID 192\.0\.2\.1/.test(r.message) ? r : undefined;
  }).catch(async (err: Error) =>
    assert.fail(`${err.message}\n${await bed.cp.kubectl(['get', 'bgpnodestates,bgpconfig', '-o', 'wide'])}`),
  );
  assert.equal(ready.status, 'False');
});
