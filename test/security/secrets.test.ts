// Security on the bench: an MD5 password from a Secret brings the session up (so it is really
// used), and then appears nowhere an operator or an attacker with read access would look: the
// agents' and gobgpd's logs, Events, the status of every object, /metrics. And GoBGP's API is a unix socket
// only: the node namespace has no TCP listener but BGP (179) and the agent's metrics (9179), a
// router on the peering LAN is refused on every other port of the node's addresses, and the
// socket file admits no user but its owner.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { execIn, ip, waitFor } from '../bed/index.ts';
import { bng1Core1Session, startOperatorBed, type OperatorBed } from '../bed/operator.ts';

const PASSWORD = 'Sup3r-s3cret-md5-9f2c';
let bed: OperatorBed;

const SITE = `
apiVersion: v1
kind: Secret
metadata: { name: core-md5, namespace: bng-bgp }
stringData: { password: ${PASSWORD} }
---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPConfiguration
metadata: { name: site }
spec: { asNumber: 64512, fib: { enabled: false } }
---
${bng1Core1Session({ password: { secretRef: { name: 'core-md5', namespace: 'bng-bgp' } } })}`;

before(async () => {
  bed = await startOperatorBed(['frr'], { md5: PASSWORD });
  await bed.apply(SITE);
});
after(async () => {
  await bed?.stop();
});

test('the MD5 password brings the session up, and is then in no log, event, status or metric', async () => {
  await waitFor(
    'bng1-core1 Established (FRR requires the password)',
    async () =>
      (await bed.getJson<{ status?: { sessionState?: string } }>(['get', 'bgpsession', 'bng1-core1'])).status
        ?.sessionState === 'Established'
        ? true
        : undefined,
    { timeoutMs: 90_000 },
  );
  const places: [string, string][] = [];
  for (const node of bed.topo.nodes) {
    places.push([`${node.name} agent log`, readFileSync(`${node.dir}/agent.log`, 'utf8')]);
    places.push([`${node.name} gobgpd log`, readFileSync(`${node.dir}/gobgpd.log`, 'utf8')]);
    const res = await fetch(`http://${node.management.ipv4}:9179/metrics`);
    places.push([`${node.name} /metrics`, await res.text()]);
  }
  places.push(['events', await bed.cp.kubectl(['get', 'events', '-A', '-o', 'yaml'])]);
  places.push(['bgp objects', await bed.cp.kubectl(['get', 'bgp,bgpnodestates', '-o', 'yaml'])]);
  const leaks = places.filter(([, text]) => text.includes(PASSWORD)).map(([where]) => where);
  assert.deepEqual(leaks, [], 'the password leaked');
  // The search finds the password where it belongs: the core's own configuration.
  assert.ok((await bed.topo.router('core1').cli('show running-config')).includes(PASSWORD));
});

/** The TCP ports something listens on in a namespace (any address). */
async function listeningPorts(netns: string): Promise<string[]> {
  const out = await execIn(netns, 'ss', ['-Hltn']);
  const ports = out
    .split('\n')
    .filter(Boolean)
    .map((l) => l.trim().split(/\s+/)[3]?.split(':').at(-1) ?? '');
  return [...new Set(ports)].sort();
}

test("GoBGP's API is not on TCP: the node namespace listens on 179 and 9179 only", async () => {
  for (const node of bed.topo.nodes) {
    const ports = await listeningPorts(node.netns);
    assert.deepEqual(ports, ['179', '9179'], `${node.name} listens on ${ports.join(', ')}`);
  }
});

// A TCP connect from inside a namespace to each [host, port]: "connected", or the error code
// (ECONNREFUSED: the host answered, nothing listens there), or "timeout".
const PROBE = `
const net = require('node:net');
Promise.all(JSON.parse(process.argv[1]).map(([host, port]) => new Promise((resolve) => {
  const s = net.connect({ host, port, timeout: 3000 });
  s.once('connect', () => { s.destroy(); resolve('connected'); });
  s.once('timeout', () => { s.destroy(); resolve('timeout'); });
  s.once('error', (e) => resolve(e.code));
}))).then((r) => console.log(JSON.stringify(r)));
`;

test("from core1's namespace, gobgpd's gRPC port (50051) and every port but 179 and 9179 are refused on each node's LAN and management addresses", async () => {
  const core1 = bed.topo.router('core1');
  // core1 has no route to the management network: a probe there would fail with "no route" and
  // prove nothing. Route each node's management address through its LAN address, as an attacker on
  // the peering LAN would, so that the node itself answers.
  const routes = bed.topo.nodes.map((n) => [`${n.management.ipv4}/32`, 'via', n.lan.ipv4]);
  for (const r of routes) await ip(['route', 'replace', ...r], core1.netns);
  try {
    for (const node of bed.topo.nodes) {
      // gobgpd's default gRPC port, and anything else the namespace may have started listening on.
      const ports = [
        ...new Set([
          '50051',
          ...(await listeningPorts(node.netns)).filter((p) => p !== '179' && p !== '9179'),
        ]),
      ];
      const hosts = [node.lan.ipv4, node.lan.ipv6, node.management.ipv4];
      // 179 answers on every address, so the probe really reaches the node there; except that bng1
      // holds the MD5 key of its session with core1 (10.100.0.1), and the kernel drops core1's
      // unsigned SYNs on IPv4 without an answer: the password at work.
      const on179 = (h: string) => (node.name === 'bng1' && !h.includes(':') ? 'timeout' : 'connected');
      const targets = hosts.flatMap((h) => ['179', ...ports].map((p) => [h, Number(p)] as const));
      const results = JSON.parse(
        await execIn(core1.netns, process.execPath, ['-e', PROBE, JSON.stringify(targets)]),
      ) as string[];
      const got = targets.map(([h, p], i) => `${h}:${p} ${results[i]}`);
      const want = targets.map(([h, p]) => `${h}:${p} ${p === 179 ? on179(h) : 'ECONNREFUSED'}`);
      assert.deepEqual(got, want, `${node.name} from core1`);
    }
  } finally {
    for (const r of routes) await ip(['route', 'del', ...r], core1.netns).catch(() => undefined);
  }
});

// A unix socket is reached through the file system from any network namespace: the file's mode is
// what keeps other users of the host out (connecting needs write permission). The packaged
// DaemonSet (config/manager) puts it in a pod-local emptyDir (medium Memory) mounted only into the
// pod's gobgpd and agent containers, so no other pod sees the file at all.
test("GoBGP's API socket admits its owner only: no write bit for group or others, and another user is refused", async () => {
  for (const node of bed.topo.nodes) {
    const path = node.gobgpd!.socketPath;
    const st = statSync(path);
    assert.ok(st.isSocket(), `${path} is a socket`);
    assert.equal(st.uid, 0, `${path} is root's`);
    assert.equal((st.mode & 0o022).toString(8), '0', `${path} mode ${(st.mode & 0o777).toString(8)}`);
    // The owner gets the API (the agent drives gobgpd through it: AS 64512 is set); nobody is refused.
    assert.equal(
      (await bed.gobgp.get(node.name)!.getBgp()).global?.asn,
      64512,
      `root reaches ${node.name}'s API`,
    );
    const asNobody = await execIn(node.netns, 'setpriv', [
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
      'sh',
      '-c',
      `curl -sv --unix-socket '${path}' http://gobgp/ 2>&1; echo "exit $?"`,
    ]);
    assert.match(asNobody, /Immediate connect fail for .*: Permission denied/, `${node.name}: ${asNobody}`);
    assert.match(asNobody, /exit 7$/m);
  }
});
