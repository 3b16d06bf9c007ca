// The fault bed: the operator bench (real apiserver, three nodes with gobgpd and the agent, two FRR
// cores running BFD) with a test BNG agent per node, the fault site applied and whole.
import { startOperatorBed, type OperatorBed } from '../bed/operator.ts';
import { NODES, SITE, bngState, type NodeName } from './site.ts';
import { agentReady, bfdUp } from './inject.ts';
import { assertWhole } from './whole.ts';
import { waitFor } from '../bed/index.ts';

/** Repetitions of every fault case: one is luck, three is a pattern. */
export const REPEAT = 3;

export async function startFaultBed(): Promise<OperatorBed> {
  const bed = await startOperatorBed(['frr', 'frr'], { bfd: true });
  try {
    for (const n of NODES) await bed.startBngAgent(n, bngState(n));
    await bed.apply(SITE);
    await assertWhole(bed, {}, 'the site whole before any fault', 180_000);
    for (const n of NODES) await waitFor(`${n} ready`, () => agentReady(bed, n));
    await waitFor('BFD up between every core and node', () => bfdUp(bed));
    return bed;
  } catch (err) {
    await bed.stop();
    throw err;
  }
}

/** Starts a node again after its namespace was removed: namespace, gobgpd, agent and BNG. */
export async function restoreNode(bed: OperatorBed, node: NodeName): Promise<void> {
  await bed.topo.restoreNode(node);
  bed.startAgent(node);
  await bed.startBngAgent(node, bngState(node));
  await waitFor(`BFD up with ${node} again`, () => bfdUp(bed));
}
