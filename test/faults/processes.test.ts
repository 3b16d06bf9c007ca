// Fault injection, part 1: the processes of a node die or restart. Each case runs three times, on a
// different node each time, and after each run the whole network (both cores' tables, every FIB)
// must be exactly what the resources say.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { frrNeighbor, waitFor } from '../bed/index.ts';
import type { OperatorBed } from '../bed/operator.ts';
import { REPEAT, startFaultBed } from './bed.ts';
import { agentReady, routeEvents, sample, sessionCounts } from './inject.ts';
import { NODES, TABLE, bngState, nodeAddress, poolOf, type CoreName } from './site.ts';
import { assertWhole, coreTable, fib } from './whole.ts';

let bed: OperatorBed;
before(async () => {
  bed = await startFaultBed();
});
after(async () => {
  await bed?.stop();
});

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

test('gobgpd killed and restarted: the node keeps forwarding on its FIB meanwhile, and everything comes back', async () => {
  for (const [rep, node] of NODES.slice(0, REPEAT).entries()) {
    const before = await fib(bed, node);
    const fibSeen = sample(() => fib(bed, node));
    await bed.topo.restartGobgpd(node, { whileDown: () => sleep(3_000) });
    const took = await assertWhole(bed, {}, `whole after ${node}'s gobgpd was killed (run ${rep + 1})`);
    const seen = await fibSeen.stop();
    assert.deepEqual(
      seen,
      [before],
      `${node}'s FIB changed while its gobgpd was away: ${JSON.stringify(seen)}`,
    );
    console.log(`# run ${rep + 1}: ${node} gobgpd SIGKILL, 3 s down -> whole ${s(took)} after the restart`);
  }
});

test('agent killed and restarted: no session reset, no kernel route written, everything stays whole', async () => {
  for (const [rep, node] of NODES.slice(0, REPEAT).entries()) {
    const counts = await sessionCounts(bed);
    const events = routeEvents(bed.topo.node(node).netns, TABLE);
    await bed.agents.get(node)!.kill();
    bed.startAgent(node);
    await waitFor(`${node}'s new agent ready`, () => agentReady(bed, node), { timeoutMs: 60_000 });
    await assertWhole(bed, {}, `whole after ${node}'s agent restart (run ${rep + 1})`);
    // A resync pass after the restart has run by now (resyncIntervalSeconds: 2).
    await sleep(3_000);
    assert.deepEqual(await events.stop(), [], `${node}'s kernel routes were rewritten`);
    assert.deepEqual(await sessionCounts(bed), counts, 'a session was reset');
    console.log(`# run ${rep + 1}: ${node} agent SIGKILL -> ready again, no route event, no reset`);
  }
});

/** Whether core's path to the node's pool is 'valid', 'stale' or 'absent'. */
async function poolAt(core: CoreName, node: (typeof NODES)[number]): Promise<string> {
  const paths = (await coreTable(bed, core))[poolOf(node)] ?? [];
  const path = paths.find((p) => p.startsWith(`${nodeAddress(node)} `));
  return !path ? 'absent' : path.endsWith(' stale') ? 'stale' : 'valid';
}

test('planned restart with graceful restart (the preStop, then SIGTERM): the cores keep the routes as stale, never drop them, no Cease', async () => {
  const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
  for (const [rep, node] of NODES.slice(0, REPEAT).entries()) {
    const notified = (await frrNeighbor(bed.topo.router('core1'), nodeAddress(node))).lastNotificationReason;
    const atCore1 = sample(() => poolAt('core1', node));
    const target = bed.topo.node(node).gobgpd!.target;
    await promisify(execFile)(process.execPath, [main, 'stop-bgp', '--gobgp', target]);
    await bed.topo.restartGobgpd(node, { signal: 'SIGTERM', whileDown: () => sleep(3_000) });
    const took = await assertWhole(bed, {}, `whole after ${node}'s planned restart (run ${rep + 1})`);
    const seen = await atCore1.stop();
    assert.ok(
      seen.includes('stale'),
      `core1 should have held ${node}'s routes as stale: ${seen.join(' -> ')}`,
    );
    assert.ok(!seen.includes('absent'), `core1 dropped ${node}'s pool: ${seen.join(' -> ')}`);
    const after = await frrNeighbor(bed.topo.router('core1'), nodeAddress(node));
    assert.equal(after.lastNotificationReason, notified, 'core1 received a NOTIFICATION (Cease)');
    console.log(
      `# run ${rep + 1}: ${node} planned restart: core1 saw ${seen.join(' -> ')}, fresh ${s(took)} after`,
    );
  }
});

test('BNG agent crash: its pool leaves both cores within the detection time, sessions stay up, back on restart', async () => {
  for (const [rep, node] of NODES.slice(0, REPEAT).entries()) {
    const counts = await sessionCounts(bed);
    await bed.bngAgents.get(node)!.kill();
    // 4 failed probes 500 ms apart, then a BGP update: well under 5 s.
    const gone = await assertWhole(bed, { bngs: [node] }, `${node}'s pool withdrawn (run ${rep + 1})`, 5_000);
    await bed.startBngAgent(node, bngState(node));
    const back = await assertWhole(bed, {}, `${node}'s pool back (run ${rep + 1})`);
    assert.deepEqual(await sessionCounts(bed), counts, 'a session was reset');
    console.log(
      `# run ${rep + 1}: ${node} BNG SIGKILL -> pool gone from both cores in ${s(gone)}, back ${s(back)} after restart`,
    );
  }
});
