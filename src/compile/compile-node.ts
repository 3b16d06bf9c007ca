// compileNode: a snapshot of the cluster, as one node sees it, -> that node's desired GoBGP state
// and one diagnostic per object it could not use. Pure and deterministic: the same snapshot
// always gives the same, sorted result, so an unchanged cluster never causes a write.
import type { BGPConfiguration } from '../api/types.ts';
import type { CompileResult, DesiredGlobal, Diagnostic, Snapshot } from './model.ts';
import { compilePaths } from './paths.ts';
import { compilePoolRoutes } from './pools.ts';
import { compilePoolSource } from './pool-source.ts';
import { compilePeers } from './peers.ts';
import { compilePolicies } from './policies.ts';
import { matches } from './selectors.ts';

const empty = { peers: [], definedSets: [], policies: [], importPolicies: [], exportPolicies: [], paths: [] };

/**
 * The configuration covering this node. Several is a conflict, reported on each of them; a node
 * already running one of them keeps it meanwhile: stopping a working speaker over a configuration
 * mistake would cut its subscribers off, and in GoBGP v4 a stopped speaker only starts again in a
 * new gobgpd, so the node would stay down after the conflict is resolved. A node running none of
 * them starts none. None covering: nothing applies.
 */
function selectConfiguration(snapshot: Snapshot, diagnostics: Diagnostic[]): BGPConfiguration | undefined {
  const covering = snapshot.configurations
    .filter((c) => matches(c.spec.nodeSelector, snapshot.node.labels))
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  if (covering.length > 1) {
    const names = covering.map((c) => c.metadata.name ?? '');
    const kept = covering.find((c) => c.metadata.name === snapshot.node.configuration);
    for (const name of names) {
      diagnostics.push({
        kind: 'BGPConfiguration',
        name,
        reason: 'ConflictingConfiguration',
        message: `node ${snapshot.node.name} is covered by ${names.join(', ')}: narrow their nodeSelectors so one covers it${kept ? `; it keeps running ${kept.metadata.name} meanwhile` : '; none applies meanwhile'}`,
      });
    }
    return kept;
  }
  return covering[0];
}

function compileGlobal(
  config: BGPConfiguration,
  snapshot: Snapshot,
  diagnostics: Diagnostic[],
): DesiredGlobal | undefined {
  const spec = config.spec;
  const routerId = spec.routerIDSource === 'Manual' ? spec.routerID : snapshot.node.addresses.ipv4;
  if (!routerId) {
    diagnostics.push({
      kind: 'BGPConfiguration',
      name: config.metadata.name ?? '',
      reason: 'NoRouterID',
      message: `node ${snapshot.node.name} has no IPv4 InternalIP for routerIDSource NodeIP: use routerIDSource Manual`,
    });
    return undefined;
  }
  return {
    configuration: config.metadata.name ?? '',
    asn: spec.asNumber,
    routerId,
    listenPort: spec.listenPort ?? 179,
    maxPaths: spec.ecmp?.maxPaths ?? 8,
    gracefulRestart: {
      enabled: spec.gracefulRestart?.enabled ?? true,
      restartTime: spec.gracefulRestart?.restartTime ?? 120,
      deferralTime: spec.gracefulRestart?.deferralTime ?? 30,
    },
  };
}

export function compileNode(snapshot: Snapshot): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const config = selectConfiguration(snapshot, diagnostics);
  const global = config && compileGlobal(config, snapshot, diagnostics);
  if (!config || !global) return { desired: { ...empty }, diagnostics, pools: [] };
  const peers = compilePeers(snapshot, config.spec, diagnostics);
  const poolSource = compilePoolSource(config.spec.bngPools, snapshot.node.name);
  // Static pools come from the spec; the source only says whether the BNG is alive.
  const view =
    snapshot.pools && poolSource?.kind === 'Static'
      ? { ...snapshot.pools, pools: poolSource.pools }
      : snapshot.pools;
  const pools = compilePoolRoutes({ ...snapshot, ...(view ? { pools: view } : {}) }, diagnostics);
  const paths = compilePaths(snapshot, global.asn, diagnostics, pools.candidates);
  const policies = compilePolicies(snapshot, global.asn, peers, paths);
  const fib = config.spec.fib;
  return {
    desired: {
      global,
      fib: {
        enabled: fib?.enabled ?? true,
        table: fib?.table ?? 254,
        metric: fib?.metric ?? 20,
        maxRoutes: fib?.maxRoutes ?? 2_000_000,
        resyncIntervalSeconds: fib?.resyncIntervalSeconds ?? 30,
      },
      peers: peers.sort((a, b) => a.address.localeCompare(b.address)),
      paths,
      ...policies,
      ...(poolSource ? { poolSource } : {}),
    },
    diagnostics,
    pools: pools.outcomes,
  };
}
