// BGPSessions -> this node's GoBGP peers. A session is configured by each node that is one of its
// two ends, always oriented from that node: "local" below is this node's endpoint, whichever side
// of the spec it is on. Settings that belong to one end (passive, route-reflector client) apply
// only from the side the spec gives them to.
import type { BGPConfigurationSpec, BGPEndpoint } from '../api/types.ts';
import type { DesiredPeer, Diagnostic, Family, Snapshot } from './model.ts';

const isIpv6 = (address: string): boolean => address.includes(':');

function families(
  list: { afi: 'IPv4' | 'IPv6'; safi?: 'Unicast' | 'Multicast' }[] | undefined,
  remoteAddress: string,
): Family[] {
  if (!list?.length) return [isIpv6(remoteAddress) ? 'ipv6-unicast' : 'ipv4-unicast'];
  const out = list.map(
    (f) => `${f.afi === 'IPv4' ? 'ipv4' : 'ipv6'}-${(f.safi ?? 'Unicast').toLowerCase()}` as Family,
  );
  return [...new Set(out)].sort();
}

export function compilePeers(
  snapshot: Snapshot,
  config: BGPConfigurationSpec,
  diagnostics: Diagnostic[],
): DesiredPeer[] {
  const endpoints = new Map(snapshot.endpoints.map((e) => [e.metadata.name ?? '', e]));
  const peers: DesiredPeer[] = [];
  const byAddress = new Map<string, string>();
  const sessions = [...snapshot.sessions].sort((a, b) =>
    (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
  );
  for (const session of sessions) {
    const name = session.metadata.name ?? '';
    const fail = (reason: string, message: string): void => {
      diagnostics.push({ kind: 'BGPSession', name, reason, message });
    };
    const local = endpoints.get(session.spec.localEndpoint);
    const remote = endpoints.get(session.spec.remoteEndpoint);
    const ours = (e: BGPEndpoint | undefined): boolean => e?.spec.nodeName === snapshot.node.name;
    if (!ours(local) && !ours(remote)) continue; // neither end is this node: not ours to configure
    if (!local || !remote) {
      const missing = !local ? session.spec.localEndpoint : session.spec.remoteEndpoint;
      fail('EndpointNotFound', `BGPEndpoint ${missing} does not exist; create it or fix the session`);
      continue;
    }
    if (ours(local) && ours(remote)) {
      fail(
        'SameNode',
        `both ends (${local.metadata.name}, ${remote.metadata.name}) are node ${snapshot.node.name}`,
      );
      continue;
    }
    const weAreLocal = ours(local);
    const [me, them] = weAreLocal ? [local, remote] : [remote, local];
    if (isIpv6(me.spec.address) !== isIpv6(them.spec.address)) {
      fail(
        'AddressFamilyMismatch',
        `${me.spec.address} and ${them.spec.address} are of different IP versions`,
      );
      continue;
    }
    const previous = byAddress.get(them.spec.address);
    if (previous) {
      fail('DuplicatePeer', `session ${previous} already peers with ${them.spec.address} on this node`);
      continue;
    }
    const spec = session.spec;
    let password: string | undefined;
    if (spec.password) {
      const ref = spec.password.secretRef;
      const key = ref.key ?? 'password';
      password = snapshot.secrets.get(`${ref.namespace}/${ref.name}`)?.[key];
      if (!password) {
        fail('SecretNotFound', `Secret ${ref.namespace}/${ref.name} has no key "${key}" (or cannot be read)`);
        continue;
      }
    }
    const holdTime = spec.holdTime ?? 90;
    const grEnabled = spec.gracefulRestart?.enabled ?? config.gracefulRestart?.enabled ?? true;
    const bfdOn = spec.bfd && (spec.bfd.enabled ?? true);
    byAddress.set(them.spec.address, name);
    peers.push({
      session: name,
      address: them.spec.address,
      peerAsn: them.spec.asNumber,
      ...(weAreLocal && spec.localASNumber !== undefined ? { localAsn: spec.localASNumber } : {}),
      localAddress: me.spec.address,
      remotePort: them.spec.port ?? 179,
      passive: weAreLocal && (spec.passive ?? false),
      holdTime,
      keepaliveTime: spec.keepaliveTime ?? Math.floor(holdTime / 3),
      connectRetryTime: spec.connectRetryTime ?? 5,
      ...(spec.idleHoldTime !== undefined ? { idleHoldTime: spec.idleHoldTime } : {}),
      families: families(spec.addressFamilies ?? them.spec.addressFamilies, them.spec.address),
      ...(spec.ebgpConfig?.multiHop ? { multihopTtl: spec.ebgpConfig.multiHop.ttl } : {}),
      ...(spec.ebgpConfig?.ttlSecurity ? { ttlSecurityHops: spec.ebgpConfig.ttlSecurity.ttl } : {}),
      // The remote end is a client of the local end: only the local end reflects.
      ...(weAreLocal && spec.routeReflector
        ? { routeReflectorClusterId: spec.routeReflector.clusterID }
        : {}),
      ...(password ? { password } : {}),
      ...(bfdOn
        ? {
            bfd: {
              receiveIntervalMs: spec.bfd?.receiveIntervalMs ?? 300,
              transmitIntervalMs: spec.bfd?.transmitIntervalMs ?? 300,
              detectMultiplier: spec.bfd?.detectMultiplier ?? 3,
            },
          }
        : {}),
      ...(grEnabled
        ? {
            gracefulRestart: {
              restartTime: spec.gracefulRestart?.restartTime ?? config.gracefulRestart?.restartTime ?? 120,
            },
          }
        : {}),
      ...(spec.maxPrefixes
        ? {
            maxPrefixes: {
              limit: spec.maxPrefixes.limit,
              warningThresholdPercent: spec.maxPrefixes.warningThresholdPercent ?? 75,
            },
          }
        : {}),
    });
  }
  return peers;
}
