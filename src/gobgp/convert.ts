// Desired state (src/compile) -> GoBGP v4 API messages. Peers carry a fingerprint of their
// desired config in the description, so the peer reconciler compares one string with what GoBGP
// reports instead of normalising GoBGP's echo of every field.
import type { DefinedSet } from '../../gen/ts/gobgp/api/DefinedSet.ts';
import type { DefinedType } from '../../gen/ts/gobgp/api/DefinedType.ts';
import type { Global } from '../../gen/ts/gobgp/api/Global.ts';
import type { Path } from '../../gen/ts/gobgp/api/Path.ts';
import type { Peer } from '../../gen/ts/gobgp/api/Peer.ts';
import type { Policy } from '../../gen/ts/gobgp/api/Policy.ts';
import type { Statement } from '../../gen/ts/gobgp/api/Statement.ts';
import type { Attribute } from '../../gen/ts/gobgp/api/Attribute.ts';
import { communityValue } from '../compile/communities.ts';
import { contentHash } from '../compile/hash.ts';
import type {
  DefinedSetType,
  DesiredDefinedSet,
  DesiredGlobal,
  DesiredPath,
  DesiredPeer,
  DesiredPolicy,
  DesiredStatement,
  Family,
} from '../compile/model.ts';

const AFI_SAFI: Record<Family, { afi: 'AFI_IP' | 'AFI_IP6'; safi: 'SAFI_UNICAST' | 'SAFI_MULTICAST' }> = {
  'ipv4-unicast': { afi: 'AFI_IP', safi: 'SAFI_UNICAST' },
  'ipv6-unicast': { afi: 'AFI_IP6', safi: 'SAFI_UNICAST' },
  'ipv4-multicast': { afi: 'AFI_IP', safi: 'SAFI_MULTICAST' },
  'ipv6-multicast': { afi: 'AFI_IP6', safi: 'SAFI_MULTICAST' },
};

export const familyOf = (family: Family) => AFI_SAFI[family];

export function toApiGlobal(g: DesiredGlobal): Global {
  return {
    asn: g.asn,
    routerId: g.routerId,
    listenPort: g.listenPort,
    useMultiplePaths: g.maxPaths > 1,
    gracefulRestart: g.gracefulRestart.enabled
      ? {
          enabled: true,
          restartTime: g.gracefulRestart.restartTime,
          deferralTime: g.gracefulRestart.deferralTime,
          notificationEnabled: true,
        }
      : { enabled: false },
  };
}

const DESCRIPTION_PREFIX = 'bng-bgp ';

/** "bng-bgp <fingerprint> <session>": the fingerprint covers the whole desired peer (password too). */
export function peerDescription(p: DesiredPeer, global: DesiredGlobal): string {
  return `${DESCRIPTION_PREFIX}${contentHash({ p, deferral: global.gracefulRestart.deferralTime }, 16)} ${p.session}`;
}

export function isOurPeer(description: string | undefined): boolean {
  return description?.startsWith(DESCRIPTION_PREFIX) ?? false;
}

export function toApiPeer(p: DesiredPeer, global: DesiredGlobal): Peer {
  const gr = p.gracefulRestart;
  return {
    conf: {
      neighborAddress: p.address,
      peerAsn: p.peerAsn,
      localAsn: p.localAsn ?? 0,
      authPassword: p.password ?? '',
      description: peerDescription(p, global),
    },
    timers: {
      config: {
        connectRetry: p.connectRetryTime,
        holdTime: p.holdTime,
        keepaliveInterval: p.keepaliveTime,
        idleHoldTimeAfterReset: p.idleHoldTime ?? 0, // 0: GoBGP's default, 30 s
      },
    },
    transport: { localAddress: p.localAddress, remotePort: p.remotePort, passiveMode: p.passive },
    ...(p.multihopTtl ? { ebgpMultihop: { enabled: true, multihopTtl: p.multihopTtl } } : {}),
    // GoBGP takes the minimum accepted TTL: one hop away is 255.
    ...(p.ttlSecurityHops ? { ttlSecurity: { enabled: true, ttlMin: 256 - p.ttlSecurityHops } } : {}),
    ...(p.routeReflectorClusterId
      ? { routeReflector: { routeReflectorClient: true, routeReflectorClusterId: p.routeReflectorClusterId } }
      : {}),
    gracefulRestart: gr
      ? {
          enabled: true,
          restartTime: gr.restartTime,
          deferralTime: global.gracefulRestart.deferralTime,
          notificationEnabled: true,
        }
      : { enabled: false },
    afiSafis: p.families.map((f) => ({
      config: { family: familyOf(f), enabled: true },
      mpGracefulRestart: { config: { enabled: gr !== undefined } },
      ...(p.maxPrefixes
        ? {
            prefixLimits: {
              family: familyOf(f),
              maxPrefixes: p.maxPrefixes.limit,
              shutdownThresholdPct: p.maxPrefixes.warningThresholdPercent,
            },
          }
        : {}),
    })),
    ...(p.bfd
      ? {
          bfd: {
            enabled: true,
            // GoBGP's BFD intervals are in microseconds.
            requiredMinimumReceive: p.bfd.receiveIntervalMs * 1000,
            desiredMinimumTxInterval: p.bfd.transmitIntervalMs * 1000,
            detectionMultiplier: p.bfd.detectMultiplier,
          },
        }
      : {}),
  };
}

const DEFINED_TYPES: Record<DefinedSetType, DefinedType> = {
  prefix: 'DEFINED_TYPE_PREFIX',
  neighbor: 'DEFINED_TYPE_NEIGHBOR',
  community: 'DEFINED_TYPE_COMMUNITY',
  'large-community': 'DEFINED_TYPE_LARGE_COMMUNITY',
  'as-path': 'DEFINED_TYPE_AS_PATH',
};

export const definedTypeOf = (type: DefinedSetType) => DEFINED_TYPES[type];

export function toApiDefinedSet(s: DesiredDefinedSet): DefinedSet {
  return {
    definedType: DEFINED_TYPES[s.type],
    name: s.name,
    // Neighbour sets take prefixes: a single address is its host prefix.
    list: s.type === 'neighbor' ? s.list.map((a) => `${a}/${a.includes(':') ? 128 : 32}`) : s.list,
    prefixes: s.prefixes.map((p) => ({
      ipPrefix: p.prefix,
      maskLengthMin: p.maskLengthMin,
      maskLengthMax: p.maskLengthMax,
    })),
  };
}

function toApiStatement(s: DesiredStatement, name: string): Statement {
  const c = s.conditions;
  const any = (set: string | undefined) => (set ? { type: 'TYPE_ANY' as const, name: set } : undefined);
  return {
    name,
    conditions: {
      ...(c.prefixSet ? { prefixSet: any(c.prefixSet) } : {}),
      ...(c.neighborSet
        ? {
            neighborSet: {
              type: c.neighborSetInvert ? ('TYPE_INVERT' as const) : ('TYPE_ANY' as const),
              name: c.neighborSet,
            },
          }
        : {}),
      ...(c.communitySet ? { communitySet: any(c.communitySet) } : {}),
      ...(c.largeCommunitySet ? { largeCommunitySet: any(c.largeCommunitySet) } : {}),
      ...(c.asPathSet ? { asPathSet: { type: 'TYPE_ALL' as const, name: c.asPathSet } } : {}),
      ...(c.asPathMaxLength !== undefined
        ? { asPathLength: { type: 'COMPARISON_LE' as const, length: c.asPathMaxLength } }
        : {}),
    },
    actions: {
      routeAction:
        s.action === 'accept'
          ? 'ROUTE_ACTION_ACCEPT'
          : s.action === 'reject'
            ? 'ROUTE_ACTION_REJECT'
            : 'ROUTE_ACTION_UNSPECIFIED',
      ...(s.setLocalPref !== undefined ? { localPref: { value: s.setLocalPref } } : {}),
      ...(s.setMed !== undefined ? { med: { type: 'TYPE_REPLACE' as const, value: s.setMed } } : {}),
      ...(s.addCommunities
        ? { community: { type: 'TYPE_ADD' as const, communities: s.addCommunities } }
        : {}),
      ...(s.removeCommunities
        ? { community: { type: 'TYPE_REMOVE' as const, communities: s.removeCommunities } }
        : {}),
      ...(s.addLargeCommunities
        ? { largeCommunity: { type: 'TYPE_ADD' as const, communities: s.addLargeCommunities } }
        : {}),
      ...(s.asPathPrepend ? { asPrepend: { asn: s.asPathPrepend.asn, repeat: s.asPathPrepend.repeat } } : {}),
    },
  };
}

export function toApiPolicy(p: DesiredPolicy): Policy {
  // Statement names are global in GoBGP; the policy name is content-addressed, so these are unique.
  return { name: p.name, statements: p.statements.map((s, i) => toApiStatement(s, `${p.name}-s${i}`)) };
}

/** The attributes that identify a desired path's content, as they read back from GoBGP. */
export function pathAttributes(p: DesiredPath): Attribute[] {
  const [address, length] = p.prefix.split('/') as [string, string];
  const nlri = { prefix: { prefix: address, prefixLen: Number(length) } };
  return [
    { origin: { origin: 0 } },
    p.family === 'ipv4-unicast'
      ? { nextHop: { nextHop: p.nextHop } }
      : { mpReach: { family: familyOf(p.family), nextHops: [p.nextHop], nlris: [nlri] } },
    ...(p.asPathPrepend
      ? [
          {
            asPath: {
              segments: [
                {
                  type: 'TYPE_AS_SEQUENCE' as const,
                  numbers: Array<number>(p.asPathPrepend.repeat).fill(p.asPathPrepend.asn),
                },
              ],
            },
          },
        ]
      : []),
    ...(p.med !== undefined ? [{ multiExitDisc: { med: p.med } }] : []),
    ...(p.localPref !== undefined ? [{ localPref: { localPref: p.localPref } }] : []),
    ...(p.communities.length ? [{ communities: { communities: p.communities.map(communityValue) } }] : []),
    ...(p.largeCommunities.length
      ? [
          {
            largeCommunities: {
              communities: p.largeCommunities.map((c) => {
                const [globalAdmin = 0, localData1 = 0, localData2 = 0] = c.split(':').map(Number);
                return { globalAdmin, localData1, localData2 };
              }),
            },
          },
        ]
      : []),
  ];
}

export function toApiPath(p: DesiredPath): Path {
  const [address, length] = p.prefix.split('/') as [string, string];
  return {
    family: familyOf(p.family),
    nlri: { prefix: { prefix: address, prefixLen: Number(length) } },
    pattrs: pathAttributes(p),
  };
}
