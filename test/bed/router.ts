// What the tests need from an upstream router, whichever implementation runs it (FRR or BIRD).

export interface RouterNeighborSpec {
  address: string;
  asn: number;
  /** MD5 (TCP-AO is not offered by GoBGP) session password. */
  password?: string;
  /** Run BFD on this session (FRR only). */
  bfd?: boolean;
  /** Graceful restart helper/restarter on this session. */
  gracefulRestart?: boolean;
  /** eBGP multihop TTL. */
  multihop?: number;
}

export interface RouterSpec {
  name: string;
  kind: 'frr' | 'bird';
  asn: number;
  /** Prefixes the router originates (blackhole statics), IPv4 and IPv6 mixed. */
  originate?: string[];
  /** Neighbours; default: every BNG node of the topology on each of its LAN addresses. */
  neighbors?: RouterNeighborSpec[];
}

/** What the topology hands a router implementation to start it. */
export interface RouterStartOptions {
  name: string;
  netns: string;
  dir: string;
  asn: number;
  routerId: string;
  lan: { ipv4: string; ipv6: string };
  neighbors: RouterNeighborSpec[];
  originate: string[];
}

export interface RouterNeighbor {
  address: string;
  asn: number;
  /** BGP FSM state with the first letter upper-case: Idle, Connect, Active, OpenSent, OpenConfirm, Established. */
  state: string;
  /** Prefixes received from this neighbour (all families), when the router reports it. */
  prefixesReceived?: number;
}

export interface RouterRoute {
  prefix: string;
  /** Next hops of the best path(s), in the router's order. */
  nextHops: string[];
  /** AS path of the best path as numbers. */
  asPath: number[];
  /** Standard communities of the best path as "ASN:VALUE". */
  communities: string[];
  /** Large communities of the best path as "A:B:C". */
  largeCommunities: string[];
  med?: number;
  localPref?: number;
}

export interface Router {
  readonly name: string;
  readonly kind: 'frr' | 'bird';
  readonly netns: string;
  readonly asn: number;
  readonly routerId: string;
  readonly lan: { ipv4: string; ipv6: string };
  neighbors(): Promise<RouterNeighbor[]>;
  /** The router's BGP table for one family: one entry per prefix, describing the best path. */
  routes(family: 4 | 6): Promise<RouterRoute[]>;
  /** The routes accepted from one neighbour (whether or not they are best). */
  routesFrom(neighbor: string, family: 4 | 6): Promise<RouterRoute[]>;
  /** The command line a person types to reach this router's CLI, for example `vtysh -N <netns>`. */
  readonly shell: string;
  /** Runs a CLI command (vtysh or birdc) and returns its output. */
  cli(command: string): Promise<string>;
  stop(): Promise<void>;
}

export function isIpv6(address: string): boolean {
  return address.includes(':');
}

/** "Established" from "established", "ESTABLISHED" or "Established". */
export function normaliseState(state: string): string {
  const lower = state.toLowerCase();
  const known = ['idle', 'connect', 'active', 'opensent', 'openconfirm', 'established'];
  const names = ['Idle', 'Connect', 'Active', 'OpenSent', 'OpenConfirm', 'Established'];
  const i = known.indexOf(lower);
  return i >= 0 ? (names[i] ?? state) : state;
}
