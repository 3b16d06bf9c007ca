// Pools read from a Nexus server (GET /api/v1/pools), bound to Kubernetes nodes by the pool
// metadata convention of docs/bng-pool-api.md; liveness still comes from the local BNG, since
// Nexus can say what a node should serve but only the node can say it is serving. Host routes of
// a shared pool are its allocations whose node_id is this node.
import Type, { type Static } from 'typebox';
import type { PoolPolling } from '../compile/model.ts';
import { checkEntries, firstError } from './agent-api.ts';
import { getJson } from './http-get.ts';
import { canonicalCidr, leaseRoute, poolLabels, type BngPool, type InvalidPool } from './pool.ts';
import { PolledPoolSource, type PoolList } from './pool-source.ts';

/** The Nexus pool fields bng-bgp reads (Nexus sends more). */
export const NexusPool = Type.Object({
  id: Type.String(),
  cidr: Type.String(),
  prefix: Type.Optional(Type.Integer({ description: 'Delegated length (32 for IPv4 subscriber pools).' })),
  gateway: Type.Optional(Type.String()),
  metadata: Type.Optional(Type.Record(Type.String(), Type.String())),
});
const NexusPools = Type.Object({ pools: Type.Array(Type.Unknown()) });
const NexusAllocations = Type.Object({
  allocations: Type.Array(Type.Object({ ip: Type.String(), node_id: Type.Optional(Type.String()) })),
});

const nodeList = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);

/** A Nexus pool as this node serves it, undefined when it is not bound to the node. */
export function bindNexusPool(
  entry: Static<typeof NexusPool>,
  node: string,
): BngPool | InvalidPool | undefined {
  const meta = entry.metadata ?? {};
  const active = nodeList(meta['bgp-nodes']);
  const standby = nodeList(meta['bgp-standby-nodes']);
  if (!active.includes(node) && !standby.includes(node)) return undefined;
  const cidr = canonicalCidr(entry.cidr);
  if ('error' in cidr) return { id: entry.id, message: cidr.error };
  const sharing = meta['bgp-sharing'] ?? (active.length > 1 ? 'shared' : 'exclusive');
  const role = meta['bgp-role'] ?? 'production';
  if (sharing !== 'exclusive' && sharing !== 'shared')
    return { id: entry.id, message: `metadata bgp-sharing ${JSON.stringify(sharing)}: exclusive or shared` };
  if (role !== 'production' && role !== 'walled-garden')
    return {
      id: entry.id,
      message: `metadata bgp-role ${JSON.stringify(role)}: production or walled-garden`,
    };
  const pool = {
    id: entry.id,
    cidr: cidr.cidr,
    ...(entry.gateway ? { gateway: entry.gateway } : {}),
    role,
    sharing,
    standby: !active.includes(node),
  } as const;
  return { ...pool, labels: poolLabels(pool, meta) };
}

export class NexusPoolSource extends PolledPoolSource {
  readonly kind = 'Nexus' as const;
  protected readonly refreshEveryMs: number;
  private readonly url: string;
  private readonly node: string;

  constructor(
    settings: PoolPolling & { url: string; refreshIntervalMs: number; node: string },
    onChange: () => void,
  ) {
    super(settings, onChange);
    this.url = settings.url.replace(/\/+$/, '');
    this.node = settings.node;
    this.refreshEveryMs = settings.refreshIntervalMs;
  }

  protected async refresh(): Promise<PoolList> {
    const timeout = Math.max(this.polling.intervalMs, 2_000);
    const answer = await getJson(`${this.url}/api/v1/pools`, timeout);
    if (!answer.changed) throw new Error('Nexus answered 304 without being asked to revalidate');
    const envelope = firstError(NexusPools, answer.body);
    if (envelope) throw new Error(`Nexus pool list: ${envelope}`);
    const { valid, invalid } = checkEntries(NexusPool, (answer.body as Static<typeof NexusPools>).pools);
    const pools: BngPool[] = [];
    for (const nexusPool of valid) {
      const bound = bindNexusPool(nexusPool, this.node);
      if (!bound) continue;
      if (!('cidr' in bound)) {
        invalid.push(bound);
        continue;
      }
      if (bound.sharing === 'shared') bound.leases = await this.allocations(bound, nexusPool.prefix, timeout);
      pools.push(bound);
    }
    return { pools, invalid };
  }

  /** Host routes of this node's allocations in a shared pool (allocations must carry node_id). */
  private async allocations(pool: BngPool, delegated: number | undefined, timeout: number) {
    const url = `${this.url}/api/v1/allocations?${new URLSearchParams({ pool_id: pool.id }).toString()}`;
    const answer = await getJson(url, timeout);
    if (!answer.changed) return [];
    const bad = firstError(NexusAllocations, answer.body);
    if (bad) throw new Error(`Nexus allocations of ${pool.id}: ${bad}`);
    const length = delegated ?? (pool.cidr.includes(':') ? 128 : 32);
    const routes = new Set<string>();
    for (const a of (answer.body as Static<typeof NexusAllocations>).allocations) {
      if (a.node_id !== this.node) continue;
      const route = leaseRoute(a.ip.includes('/') ? a.ip : `${a.ip}/${length}`, pool.cidr);
      if (route) routes.add(route);
    }
    return [...routes].sort();
  }
}
