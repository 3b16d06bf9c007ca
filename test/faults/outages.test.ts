// Fault injection, part 2: the network and the control plane fail around the nodes. Each case runs
// three times, and after each run the whole network (both cores' tables, every FIB) must be exactly
// what the resources say.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '../bed/index.ts';
import type { OperatorBed } from '../bed/operator.ts';
import { REPEAT, restoreNode, startFaultBed } from './bed.ts';
import { agentReady, bfdUp, cutCore, reconcileErrors, sessionCounts } from './inject.ts';
import { NODES, type CoreName } from './site.ts';
import { assertWhole, isWhole } from './whole.ts';

let bed: OperatorBed;
before(async () => {
  bed = await startFaultBed();
});
after(async () => {
  await bed?.stop();
});

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
// BFD at 300 ms x 3 detects in 0.9 s; the hold timer would take 90 s. Anything under 5 s is BFD.
const BFD_BOUND_MS = 5_000;

test("an upstream link cut (no carrier loss): the core's routes leave every FIB within BFD time, and come back", async () => {
  for (let rep = 0; rep < REPEAT; rep++) {
    const core: CoreName = rep % 2 ? 'core2' : 'core1';
    await cutCore(bed, core, true);
    const gone = await assertWhole(
      bed,
      { cores: [core] },
      `${core} cut (run ${rep + 1})`,
      BFD_BOUND_MS,
    ).finally(() => cutCore(bed, core, false));
    const back = await assertWhole(bed, {}, `${core} restored (run ${rep + 1})`);
    await waitFor('BFD up again', () => bfdUp(bed));
    console.log(
      `# run ${rep + 1}: ${core} cut -> its prefix out of every FIB in ${s(gone)}, whole ${s(back)} after repair`,
    );
  }
});

test("a node's whole namespace removed: its routes leave both cores within BFD time; rebuilt, it rejoins", async () => {
  for (const [rep, node] of NODES.slice(0, REPEAT).entries()) {
    await bed.topo.removeNode(node);
    const gone = await assertWhole(bed, { nodes: [node] }, `${node} removed (run ${rep + 1})`, BFD_BOUND_MS);
    await restoreNode(bed, node);
    const back = await assertWhole(bed, {}, `${node} rebuilt (run ${rep + 1})`, 120_000);
    await waitFor(`${node}'s agent ready`, () => agentReady(bed, node));
    console.log(
      `# run ${rep + 1}: ${node} removed -> gone from both cores in ${s(gone)}, whole ${s(back)} after rebuild`,
    );
  }
});

/** An advertisement of `prefix` from every node, applied after the outage to show agents resumed. */
const probeAdvertisement = (prefix: string) => `
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPAdvertisement
metadata: { name: after-outage }
spec: { prefixes: ['${prefix}'] }
`;

test('kube-apiserver stopped for 60 s: the data plane is untouched throughout, and the agents resume', async () => {
  for (let rep = 0; rep < REPEAT; rep++) {
    await assertWhole(bed, {}, `whole before the outage (run ${rep + 1})`);
    const counts = await sessionCounts(bed);
    let checks = 0;
    await bed.cp.restartApiserver(async () => {
      const until = Date.now() + 60_000;
      while (Date.now() < until) {
        assert.ok(await isWhole(bed), `the network changed while the apiserver was down (run ${rep + 1})`);
        checks++;
        await sleep(1_000);
      }
    });
    assert.deepEqual(await sessionCounts(bed), counts, 'a session was reset');
    const prefix = `192.0.2.${rep * 16}/28`;
    const start = Date.now();
    await bed.apply(probeAdvertisement(prefix));
    await assertWhole(bed, { extra: [prefix] }, `a new advertisement after the outage (run ${rep + 1})`);
    const applied = Date.now() - start;
    await bed.cp.kubectl(['delete', 'bgpadvertisement', 'after-outage']);
    await assertWhole(bed, {}, `whole again (run ${rep + 1})`);
    console.log(
      `# run ${rep + 1}: apiserver 60 s down, ${checks} whole checks passed; next change at both cores ${s(applied)} after apply`,
    );
  }
});

/** 200 advertisements of one /32 each, announced by every node. */
function burst(rep: number): { yaml: string; prefixes: string[] } {
  const prefixes = Array.from({ length: 200 }, (_, i) => `198.18.${rep}.${i}/32`);
  const yaml = prefixes
    .map(
      (p, i) => `---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPAdvertisement
metadata: { name: burst-${i}, labels: { burst: 'yes' } }
spec: { prefixes: ['${p}'] }`,
    )
    .join('\n');
  return { yaml, prefixes };
}

test('200 resources applied in one burst: all converge, no reconcile error, nothing else disturbed; deleted in one request, all withdrawn', async () => {
  for (let rep = 0; rep < REPEAT; rep++) {
    const errors = await reconcileErrors(bed);
    const counts = await sessionCounts(bed);
    const { yaml, prefixes } = burst(rep);
    const start = Date.now();
    await bed.apply(yaml);
    await assertWhole(bed, { extra: prefixes }, `200 advertisements at both cores (run ${rep + 1})`, 180_000);
    const announced = Date.now() - start;
    await waitFor(
      'all 200 Ready with 3 announcements each',
      async () => {
        const list = await bed.getJson<{
          items: {
            status?: { advertisedPrefixCount?: number; conditions?: { type: string; status: string }[] };
          }[];
        }>(['get', 'bgpadvertisements', '-l', 'burst=yes']);
        return list.items.length === 200 &&
          list.items.every(
            (a) =>
              a.status?.advertisedPrefixCount === 3 &&
              a.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
          )
          ? true
          : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
    const reported = Date.now() - start;
    const deleting = Date.now();
    // One DELETE of the collection: all 200 go at once (kubectl would delete them one by one).
    await bed.cp.kubectl([
      'delete',
      '--raw',
      '/apis/bgp.bng-edge.io/v1alpha1/bgpadvertisements?labelSelector=burst%3Dyes',
    ]);
    await assertWhole(bed, {}, `the burst withdrawn (run ${rep + 1})`, 180_000);
    const withdrawn = Date.now() - deleting;
    assert.equal(await reconcileErrors(bed), errors, 'reconcile passes failed during the burst');
    assert.deepEqual(await sessionCounts(bed), counts, 'a session was reset');
    console.log(
      `# run ${rep + 1}: 200 advertisements -> at both cores ${s(announced)}, all Ready ${s(reported)}; deleted -> withdrawn from both cores ${s(withdrawn)}`,
    );
  }
});
