// Security on the bench: an MD5 password from a Secret brings the session up (so it is really
// used), and then appears nowhere an operator or an attacker with read access would look: the
// agents' and gobgpd's logs, Events, the status of every object, /metrics. And GoBGP's API is a unix socket
// only: the node namespace has no TCP listener but BGP (179) and the agent's metrics (9179).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execIn, waitFor } from '../bed/index.ts';
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

test("GoBGP's API is not on TCP: the node namespace listens on 179 and 9179 only", async () => {
  for (const node of bed.topo.nodes) {
    const out = await execIn(node.netns, 'ss', ['-Hltn']);
    const ports = [
      ...new Set(
        out
          .split('\n')
          .filter(Boolean)
          .map((l) => l.trim().split(/\s+/)[3]?.split(':').at(-1)),
      ),
    ].sort();
    assert.deepEqual(ports, ['179', '9179'], `${node.name} listens on ${ports.join(', ')}`);
  }
});
