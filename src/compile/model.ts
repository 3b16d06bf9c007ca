// The compile step's input (a snapshot of the cluster as one node sees it) and output (that
// node's desired GoBGP state plus one diagnostic per object it could not use). Plain data:
// no GoBGP or Kubernetes client types, so compile stays a pure, testable function.
import type {
  BGPAdvertisement,
  BGPConfiguration,
  BGPEndpoint,
  BGPRoutePolicy,
  BGPSession,
} from '../api/types.ts';
import type { BngPool, PoolView } from '../bng/pool.ts';

export interface NodeIdentity {
  name: string;
  labels: Record<string, string>;
  /** The node's InternalIP addresses, by family. */
  addresses: { ipv4?: string; ipv6?: string };
  /** The node is annotated for a planned BNG stop: pool routes get GRACEFUL_SHUTDOWN. */
  drainPools?: boolean;
  /** The BGPConfiguration the node's speaker runs now (its BGPNodeState), kept through a conflict. */
  configuration?: string;
}

/** A node that advertises a pool aggregate (from its BGPNodeState), for conflict detection. */
export interface PoolClaim {
  node: string;
  cidr: string;
  standby: boolean;
  /** When it started advertising it (RFC 3339). */
  since?: string;
}

export interface Snapshot {
  node: NodeIdentity;
  configurations: BGPConfiguration[];
  endpoints: BGPEndpoint[];
  sessions: BGPSession[];
  advertisements: BGPAdvertisement[];
  routePolicies: BGPRoutePolicy[];
  /** Secret data by "namespace/name", values decoded. */
  secrets: Map<string, Record<string, string>>;
  /** What the node's BNG pool source currently sees; undefined: no pool source. */
  pools?: PoolView;
  /** Every node's advertised pool aggregates, this node's included. */
  poolClaims?: PoolClaim[];
}

export type Family = 'ipv4-unicast' | 'ipv6-unicast' | 'ipv4-multicast' | 'ipv6-multicast';

export interface DesiredGlobal {
  /** The BGPConfiguration it comes from. */
  configuration: string;
  asn: number;
  routerId: string;
  listenPort: number;
  maxPaths: number;
  gracefulRestart: { enabled: boolean; restartTime: number; deferralTime: number };
}

/** Kernel FIB installation of learned routes (route sync). */
export interface DesiredFib {
  enabled: boolean;
  table: number;
  metric: number;
  maxRoutes: number;
  resyncIntervalSeconds: number;
}

export interface DesiredPeer {
  /** The BGPSession this peer comes from. */
  session: string;
  address: string;
  peerAsn: number;
  localAsn?: number;
  localAddress: string;
  remotePort: number;
  passive: boolean;
  holdTime: number;
  keepaliveTime: number;
  connectRetryTime: number;
  /** Only when set: GoBGP's default (30 s) otherwise, and peers hashed before it existed stay equal. */
  idleHoldTime?: number;
  families: Family[];
  multihopTtl?: number;
  ttlSecurityHops?: number;
  routeReflectorClusterId?: string;
  /** TCP MD5 password: never logged, never put in a diagnostic. */
  password?: string;
  bfd?: { receiveIntervalMs: number; transmitIntervalMs: number; detectMultiplier: number };
  gracefulRestart?: { restartTime: number };
  maxPrefixes?: { limit: number; warningThresholdPercent: number };
}

export type DefinedSetType = 'prefix' | 'neighbor' | 'community' | 'large-community' | 'as-path';

export interface DesiredDefinedSet {
  /** Content-addressed name: a set never changes, a changed set is a new name. */
  name: string;
  type: DefinedSetType;
  /** Neighbour addresses, community regexes or AS-path regexes. */
  list: string[];
  prefixes: { prefix: string; maskLengthMin: number; maskLengthMax: number }[];
}

export interface DesiredStatement {
  conditions: {
    prefixSet?: string;
    neighborSet?: string;
    /** The statement matches when the neighbour is NOT in neighborSet. */
    neighborSetInvert?: boolean;
    communitySet?: string;
    largeCommunitySet?: string;
    asPathSet?: string;
    asPathMaxLength?: number;
  };
  action: 'accept' | 'reject' | 'none';
  setLocalPref?: number;
  setMed?: number;
  addCommunities?: string[];
  removeCommunities?: string[];
  addLargeCommunities?: string[];
  asPathPrepend?: { asn: number; repeat: number };
}

export interface DesiredPolicy {
  /** Content-addressed name: see DesiredDefinedSet.name. */
  name: string;
  /** The object it comes from, for diagnostics and logs. */
  source: string;
  statements: DesiredStatement[];
}

export interface DesiredPath {
  family: 'ipv4-unicast' | 'ipv6-unicast';
  prefix: string;
  nextHop: string;
  /** Standard communities as ASN:VALUE numbers (well-known names resolved). */
  communities: string[];
  largeCommunities: string[];
  med?: number;
  localPref?: number;
  asPathPrepend?: { asn: number; repeat: number };
  /** The BGPAdvertisement(s) it comes from. */
  sources: string[];
  /**
   * Prefix an advertisement's peer scoping matches instead of the exact prefix (with any longer
   * length): the pool CIDR of host routes, so lease churn never changes the export policy.
   */
  scope?: string;
}

/** A pool route before it is merged with the other paths. */
export interface PathCandidate {
  prefix: string;
  advertisement: BGPAdvertisement;
  /** On top of the advertisement's attributes: standby preference and the drain community. */
  extra: { med?: number; extraPrepend?: number; community?: string };
  scope?: string;
}

/** One pool of the node: how it is advertised, or why not. */
export interface PoolOutcome {
  pool: BngPool;
  mode: 'Aggregate' | 'HostRoutes' | 'None';
  routes: number;
  advertisements: string[];
  /** Advertised, NotSelected, WalledGarden, BNGDown, BNGStarting, NoLeaseSource, SharedPoolAggregate, AggregateConflict. */
  reason: string;
  message: string;
}

/** How the node agent reads its pools (BGPConfiguration.spec.bngPools, resolved for this node). */
export interface PoolPolling {
  healthURL: string;
  intervalMs: number;
  failureThreshold: number;
}

export type DesiredPoolSource =
  | ({ kind: 'Agent'; url: string } & PoolPolling)
  | ({ kind: 'Static'; pools: BngPool[] } & PoolPolling)
  | ({ kind: 'Nexus'; url: string; refreshIntervalMs: number } & PoolPolling);

export interface DesiredState {
  /** Undefined: no BGPConfiguration covers this node; the speaker stays stopped. */
  global?: DesiredGlobal;
  /** Set whenever global is. */
  fib?: DesiredFib;
  peers: DesiredPeer[];
  definedSets: DesiredDefinedSet[];
  policies: DesiredPolicy[];
  /** Policy names in evaluation order for the global import and export assignments. */
  importPolicies: string[];
  exportPolicies: string[];
  paths: DesiredPath[];
  /** Where this node's BNG pools come from; undefined: no pools. */
  poolSource?: DesiredPoolSource;
  /**
   * Set by the node agent while its pool source has not settled (just started, no list yet):
   * originated paths not in `paths` stay in GoBGP instead of being withdrawn.
   */
  keepUnwantedPaths?: boolean;
}

export type DiagnosticKind =
  | 'BGPConfiguration'
  | 'BGPEndpoint'
  | 'BGPSession'
  | 'BGPPeeringPolicy'
  | 'BGPAdvertisement'
  | 'BGPRoutePolicy'
  | 'Node';

export interface Diagnostic {
  kind: DiagnosticKind;
  name: string;
  /** One CamelCase word: the condition reason. */
  reason: string;
  /** What is wrong and what to do, for a person; never contains a secret. */
  message: string;
}

export interface CompileResult {
  desired: DesiredState;
  diagnostics: Diagnostic[];
  /** Every pool of the node's pool source, advertised or not. */
  pools: PoolOutcome[];
}
