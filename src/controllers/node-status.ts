// This node's BGPNodeState status, from what compile decided and what GoBGP reports. Pure.
import type { BGPNodeStateStatus } from '../api/types.ts';
import type { CompileResult } from '../compile/model.ts';
import type { PeerView } from '../gobgp/peer-watch.ts';
import type { RouteSyncStatus } from '../routesync/route-sync.ts';
import { rfc3339, withTransitions, type DesiredCondition } from '../kube/conditions.ts';
import type { PoolView } from '../bng/pool.ts';
import { bngCondition, poolsStatus } from './pool-status.ts';

export interface SpeakerHealth {
  /** The last apply failed: why (never contains a secret). */
  error?: { reason: string; message: string };
  applied: boolean;
}

/** A host route of a shared pool: scoped by a pool and longer than it. */
const isHostRoute = (prefix: string, scope: string | undefined) => scope !== undefined && scope !== prefix;

const iso = (d: Date | undefined) => d && rfc3339(d);

export function nodeStatus(
  compiled: CompileResult,
  peers: PeerView[],
  health: SpeakerHealth,
  generation: number,
  current: BGPNodeStateStatus | undefined,
  fib?: RouteSyncStatus,
  pools?: { view: PoolView; settled: boolean },
): BGPNodeStateStatus {
  const { desired, diagnostics } = compiled;
  const global = desired.global;
  const configDiag = diagnostics.find((d) => d.kind === 'BGPConfiguration');
  const speaker: DesiredCondition = !global
    ? {
        type: 'SpeakerReady',
        status: 'False',
        reason: configDiag?.reason ?? 'NoConfiguration',
        message: configDiag?.message ?? 'no BGPConfiguration covers this node',
        observedGeneration: generation,
      }
    : health.error
      ? { type: 'SpeakerReady', status: 'False', ...health.error, observedGeneration: generation }
      : health.applied
        ? {
            type: 'SpeakerReady',
            status: 'True',
            reason: 'Running',
            message: `AS ${global.asn}, router ID ${global.routerId}`,
            observedGeneration: generation,
          }
        : {
            type: 'SpeakerReady',
            status: 'Unknown',
            reason: 'Starting',
            message: 'waiting for GoBGP',
            observedGeneration: generation,
          };
  const wanted = new Map(desired.peers.map((p) => [p.address, p]));
  const ourPeers = peers.filter((p) => wanted.has(p.address));
  const established = ourPeers.filter((p) => p.state === 'Established').length;
  const ready: DesiredCondition =
    speaker.status !== 'True'
      ? {
          type: 'Ready',
          status: 'False',
          reason: speaker.reason,
          message: speaker.message,
          observedGeneration: generation,
        }
      : diagnostics.length > 0
        ? {
            type: 'Ready',
            status: 'False',
            reason: 'InvalidConfig',
            message: `${diagnostics.length} object(s) cannot be used: ${diagnostics.map((d) => `${d.kind}/${d.name}: ${d.reason}`).join('; ')}`,
            observedGeneration: generation,
          }
        : {
            type: 'Ready',
            status: 'True',
            reason: 'Converged',
            message: `${established}/${wanted.size} peers Established`,
            observedGeneration: generation,
          };
  const fibSynced: DesiredCondition = !fib
    ? {
        type: 'FIBSynced',
        status: 'Unknown',
        reason: 'Starting',
        message: 'route sync not started',
        observedGeneration: generation,
      }
    : fib.state === 'Synced'
      ? {
          type: 'FIBSynced',
          status: 'True',
          reason: 'Synced',
          message: `${fib.installed.ipv4 + fib.installed.ipv6} routes in table ${fib.table}`,
          observedGeneration: generation,
        }
      : fib.state === 'Disabled'
        ? {
            type: 'FIBSynced',
            status: 'True',
            reason: 'Disabled',
            message: 'FIB installation is disabled',
            observedGeneration: generation,
          }
        : fib.state === 'Failing'
          ? {
              type: 'FIBSynced',
              status: 'False',
              reason: 'SyncFailing',
              message: fib.lastError ?? 'sync failed',
              observedGeneration: generation,
            }
          : {
              type: 'FIBSynced',
              status: 'Unknown',
              reason: 'WaitingForRib',
              message: 'waiting for the GoBGP best-path table',
              observedGeneration: generation,
            };
  return {
    conditions: withTransitions(
      [speaker, ready, fibSynced, ...(pools ? [bngCondition(pools.view, compiled.pools, generation)] : [])],
      current?.conditions,
    ),
    observedGeneration: generation,
    ...(global
      ? { configuration: global.configuration, asNumber: global.asn, routerID: global.routerId }
      : {}),
    establishedPeers: established,
    peers: ourPeers.map((p) => ({
      session: wanted.get(p.address)?.session ?? p.session ?? '',
      address: p.address,
      peerAS: wanted.get(p.address)?.peerAsn,
      state: p.state,
      ...(p.establishedSince ? { establishedSince: iso(p.establishedSince) } : {}),
      received: p.received,
      accepted: p.accepted,
      advertised: p.advertised,
      flaps: p.flaps,
      ...(p.lastError ? { lastError: p.lastError } : {}),
      ...(p.bfd ? { bfd: p.bfd } : {}),
    })),
    // Host routes are counted in bngPools: a node can hold tens of thousands of leases.
    advertisedPrefixes: desired.paths.filter((p) => !isHostRoute(p.prefix, p.scope)).map((p) => p.prefix),
    // Without a settled pool view the last published pools stand (other nodes read their claims).
    ...(pools ? { bngPools: poolsStatus(pools, compiled, current?.bngPools) } : {}),
    ...(fib
      ? {
          fib: {
            state: fib.state,
            table: fib.table,
            installedIPv4: fib.installed.ipv4,
            installedIPv6: fib.installed.ipv6,
            learned: fib.learned,
            ...(fib.skipped.length > 0 ? { skipped: fib.skipped } : {}),
            ...(fib.lastError ? { lastError: fib.lastError } : {}),
          },
        }
      : {}),
    diagnostics: diagnostics.map((d) => ({
      kind: d.kind,
      name: d.name,
      reason: d.reason,
      message: d.message,
    })),
  };
}
