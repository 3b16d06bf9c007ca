// What a pool source tells the node agent: the subscriber pools the local BNG hands out, and
// whether that BNG is alive. Plain data, so compile stays pure: the sources fill it in, compile
// turns it into paths and a per-pool status.
import { canonicalAddress, parsePrefix } from '../routesync/rtnl/addr.ts';

export type PoolRole = 'production' | 'walled-garden';
export type PoolSharing = 'exclusive' | 'shared';
export type PoolSourceKind = 'Agent' | 'Static' | 'Nexus';

/** Labels every pool carries, for BGPAdvertisement pool selectors. */
export const POOL_LABEL = 'bng.bng-edge.io/pool';
export const ROLE_LABEL = 'bng.bng-edge.io/role';
export const SHARING_LABEL = 'bng.bng-edge.io/sharing';

export interface BngPool {
  /** Unique on the node. */
  id: string;
  name?: string;
  /** Canonical prefix. */
  cidr: string;
  gateway?: string;
  role: PoolRole;
  sharing: PoolSharing;
  /** This node serves the pool as the standby of an HA pair: advertised less preferred. */
  standby: boolean;
  labels: Record<string, string>;
  /**
   * Canonical host routes (/32, /128) or delegated prefixes of the node's active leases; undefined
   * when the source has no lease list (static pools).
   */
  leases?: string[];
  allocated?: number;
  available?: number;
  total?: number;
}

/** A pool entry the source received but cannot use. */
export interface InvalidPool {
  id: string;
  message: string;
}

export type BngHealth = 'Starting' | 'Healthy' | 'Down';

export interface PoolView {
  source: PoolSourceKind;
  /** The local BNG: Down after failureThreshold failed health polls in a row. */
  health: BngHealth;
  /**
   * The view can be acted on: the BNG is Down, or it answers and its pool list has been read once.
   * Until then the node agent withdraws nothing (a restarted agent must not drop live pools).
   */
  settled: boolean;
  /** Why the last health poll failed, while it fails. */
  healthError?: string;
  /** A planned stop is under way (the agent says so): pool routes carry GRACEFUL_SHUTDOWN. */
  draining: boolean;
  /** The last good pool list (kept while the list cannot be read). */
  pools: BngPool[];
  invalid: InvalidPool[];
  /** Why the pool list (or a lease list) could not be read on the last attempt. */
  listError?: string;
}

/** The labels a pool is selected by: its own plus pool id, role and sharing. */
export function poolLabels(pool: Omit<BngPool, 'labels'>, own: Record<string, string> = {}) {
  return { ...own, [POOL_LABEL]: pool.id, [ROLE_LABEL]: pool.role, [SHARING_LABEL]: pool.sharing };
}

/** Canonical prefix of a pool CIDR, or why it is not one (host bits set are an error, not cleared). */
export function canonicalCidr(text: string): { cidr: string } | { error: string } {
  const slash = text.indexOf('/');
  const parsed = slash > 0 ? parsePrefix(text) : undefined;
  if (!parsed) return { error: `cidr ${JSON.stringify(text)} is not a prefix` };
  if (`${canonicalAddress(text.slice(0, slash))}/${parsed.length}` !== parsed.key)
    return { error: `cidr ${text} has host bits set (the network is ${parsed.key})` };
  return { cidr: parsed.key };
}

/** Whether canonical prefix `inner` lies within canonical prefix `outer` (same family). */
export function inside(inner: string, outer: string): boolean {
  const [a = '', al = '0'] = inner.split('/');
  const [b = '', bl = '0'] = outer.split('/');
  if (a.includes(':') !== b.includes(':') || Number(al) < Number(bl)) return false;
  return parsePrefix(`${a}/${bl}`)?.key === outer;
}

/**
 * The canonical route of a lease (an address: /32 or /128, or a delegated prefix) when it lies in
 * its pool; undefined otherwise (a BNG bug must not leak someone else's space).
 */
export function leaseRoute(text: string, poolCidr: string): string | undefined {
  const route = parsePrefix(text)?.key;
  return route && inside(route, poolCidr) ? route : undefined;
}
