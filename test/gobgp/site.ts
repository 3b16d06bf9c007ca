// The site the GoBGP driver tests run: three BNG nodes (AS 64512), core1 (FRR, AS 65000) and
// core2 (BIRD, AS 65010), described once as custom resources and once as the routers' own
// configuration of the same sessions.
import type {
  BGPAdvertisement,
  BGPConfiguration,
  BGPEndpoint,
  BGPRoutePolicy,
  BGPSession,
} from '../../src/api/types.ts';
import type { Snapshot } from '../../src/compile/model.ts';
import type { BngNode, RouterSpec } from '../bed/index.ts';

export const NODE_ASN = 64512;
export const MD5 = 'bng-md5-s3cret';
const API = 'bgp.bng-edge.io/v1alpha1' as const;

type Spec<T extends { spec: unknown }> = T['spec'];
const meta = (name: string, labels: Record<string, string> = {}) => ({ name, labels });

export const configuration = (spec: Partial<Spec<BGPConfiguration>> = {}): BGPConfiguration => ({
  apiVersion: API,
  kind: 'BGPConfiguration',
  metadata: meta('site'),
  spec: { asNumber: NODE_ASN, gracefulRestart: { enabled: true, restartTime: 60, deferralTime: 5 }, ...spec },
});

export const endpoint = (
  name: string,
  address: string,
  asNumber: number,
  nodeName?: string,
): BGPEndpoint => ({
  apiVersion: API,
  kind: 'BGPEndpoint',
  metadata: meta(name),
  spec: { address, asNumber, ...(nodeName ? { nodeName } : {}) },
});

export const session = (
  name: string,
  spec: Spec<BGPSession>,
  labels: Record<string, string> = {},
): BGPSession => ({ apiVersion: API, kind: 'BGPSession', metadata: meta(name, labels), spec });

export const advertisement = (name: string, spec: Spec<BGPAdvertisement>): BGPAdvertisement => ({
  apiVersion: API,
  kind: 'BGPAdvertisement',
  metadata: meta(name),
  spec,
});

export const routePolicy = (name: string, spec: Spec<BGPRoutePolicy>): BGPRoutePolicy => ({
  apiVersion: API,
  kind: 'BGPRoutePolicy',
  metadata: meta(name),
  spec,
});

/** The routers: which node addresses they peer with, and how. */
export const routers: RouterSpec[] = [
  {
    name: 'core1',
    kind: 'frr',
    asn: 65000,
    originate: ['198.51.100.0/24', '10.0.0.0/8', '2001:db8:100::/48'],
    neighbors: [
      { address: '10.100.0.11', asn: NODE_ASN, password: MD5, bfd: true, gracefulRestart: true },
      { address: 'fd00:100::11', asn: NODE_ASN },
      { address: '10.100.0.12', asn: NODE_ASN },
      { address: '10.100.0.13', asn: NODE_ASN },
    ],
  },
  {
    name: 'core2',
    kind: 'bird',
    asn: 65010,
    originate: ['203.0.113.0/24'],
    neighbors: [
      { address: '10.100.0.11', asn: NODE_ASN, multihop: 2 },
      { address: '10.100.0.12', asn: NODE_ASN },
      // bng3 presents AS 64999 to core2 (local-AS override).
      { address: '10.100.0.13', asn: 64999 },
    ],
  },
];

/** Everything a node's snapshot holds but the node itself. */
export type Resources = Omit<Snapshot, 'node'>;

export function siteResources(): Resources {
  return {
    configurations: [configuration()],
    endpoints: [
      endpoint('bng1', '10.100.0.11', NODE_ASN, 'bng1'),
      endpoint('bng1-v6', 'fd00:100::11', NODE_ASN, 'bng1'),
      endpoint('bng2', '10.100.0.12', NODE_ASN, 'bng2'),
      endpoint('bng3', '10.100.0.13', NODE_ASN, 'bng3'),
      endpoint('core1', '10.100.0.1', 65000),
      endpoint('core1-v6', 'fd00:100::1', 65000),
      endpoint('core2', '10.100.0.2', 65010),
    ],
    sessions: [
      session(
        'bng1-core1',
        {
          localEndpoint: 'bng1',
          remoteEndpoint: 'core1',
          holdTime: 6,
          keepaliveTime: 2,
          connectRetryTime: 1,
          password: { secretRef: { name: 'md5', namespace: 'bng-bgp' } },
          bfd: { receiveIntervalMs: 300, transmitIntervalMs: 300, detectMultiplier: 3 },
        },
        { upstream: 'core1' },
      ),
      session(
        'bng1-core1-v6',
        { localEndpoint: 'bng1-v6', remoteEndpoint: 'core1-v6', connectRetryTime: 1 },
        { upstream: 'core1' },
      ),
      session(
        'bng1-core2',
        {
          localEndpoint: 'bng1',
          remoteEndpoint: 'core2',
          connectRetryTime: 1,
          ebgpConfig: { multiHop: { ttl: 2 } },
        },
        { upstream: 'core2' },
      ),
      // The remote end is bng2: bng2 configures this session from its own side.
      session(
        'core2-bng2',
        { localEndpoint: 'core2', remoteEndpoint: 'bng2', connectRetryTime: 1 },
        { upstream: 'core2' },
      ),
      // bng2 waits for core1 to connect.
      session(
        'bng2-core1',
        { localEndpoint: 'bng2', remoteEndpoint: 'core1', connectRetryTime: 1, passive: true },
        { upstream: 'core1' },
      ),
      // bng3 presents AS 64999 to core2, and accepts at most one prefix from core1 (which sends three).
      session(
        'bng3-core2',
        { localEndpoint: 'bng3', remoteEndpoint: 'core2', connectRetryTime: 1, localASNumber: 64999 },
        { upstream: 'core2' },
      ),
      session(
        'bng3-core1',
        { localEndpoint: 'bng3', remoteEndpoint: 'core1', connectRetryTime: 1, maxPrefixes: { limit: 1 } },
        { upstream: 'core1' },
      ),
      // iBGP: bng1 reflects to bng2 and bng3.
      session('bng1-bng2', {
        localEndpoint: 'bng1',
        remoteEndpoint: 'bng2',
        connectRetryTime: 1,
        routeReflector: { clusterID: '10.0.0.1' },
      }),
      session('bng1-bng3', {
        localEndpoint: 'bng1',
        remoteEndpoint: 'bng3',
        connectRetryTime: 1,
        routeReflector: { clusterID: '10.0.0.1' },
      }),
    ],
    advertisements: [
      advertisement('pool-aggregate', {
        prefixes: ['100.64.0.0/22', '2001:db8:ff::/48'],
        nodeSelector: { matchLabels: { 'kubernetes.io/hostname': 'bng1' } },
        communities: ['65000:100', '65000:200'],
        largeCommunities: ['64512:1:100'],
        med: 50,
      }),
      advertisement('core1-only', {
        prefixes: ['100.64.4.0/24'],
        nodeSelector: { matchLabels: { 'kubernetes.io/hostname': 'bng1' } },
        peerSelector: { matchLabels: { upstream: 'core1' } },
      }),
      advertisement('bng2-loopbacks', {
        prefixes: ['192.0.2.2/32'],
        nodeSelector: { matchLabels: { 'kubernetes.io/hostname': 'bng2' } },
      }),
    ],
    routePolicies: [
      routePolicy('upstream-import', {
        type: 'Import',
        peerSelector: { matchExpressions: [{ key: 'upstream', operator: 'Exists' }] },
        statements: [
          {
            name: 'no-rfc1918',
            prefixSet: [{ cidr: '10.0.0.0/8', maskLengthMin: 8, maskLengthMax: 32 }],
            action: 'Reject',
          },
          {
            name: 'prefer-core1',
            prefixSet: [{ cidr: '198.51.100.0/24' }],
            setLocalPref: 200,
            action: 'Accept',
          },
        ],
      }),
    ],
    secrets: new Map([['bng-bgp/md5', { password: MD5 }]]),
  };
}

/** The snapshot one node sees. */
export function snapshotFor(node: BngNode, resources: Resources): Snapshot {
  return {
    node: {
      name: node.name,
      labels: { 'kubernetes.io/hostname': node.name },
      addresses: { ipv4: node.lan.ipv4 },
    },
    ...resources,
  };
}
