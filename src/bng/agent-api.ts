// The BNG agent pool API (docs/bng-pool-api.md) as TypeBox schemas: the one definition the agent
// source validates against and the JSON Schema in docs/ is generated from. Each pool is checked on
// its own, so one bad entry is reported and the others are still advertised.
import Type, { type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';
import { canonicalCidr, leaseRoute, poolLabels, type BngPool, type InvalidPool } from './pool.ts';

const Count = (description: string) => Type.Optional(Type.Integer({ minimum: 0, description }));

export const AgentPool = Type.Object({
  id: Type.String({
    pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$',
    description: 'Stable id, unique on the node.',
  }),
  name: Type.Optional(Type.String({ maxLength: 253, description: 'Human name.' })),
  cidr: Type.String({ maxLength: 49, description: 'The pool prefix, host bits clear, IPv4 or IPv6.' }),
  gateway: Type.Optional(Type.String({ maxLength: 45, description: 'Subscriber gateway (informational).' })),
  source: Type.Optional(
    Type.Enum(['local', 'nexus', 'peer'], {
      description: 'local (pool-network), nexus (nexus-pool) or peer (peer-pool mode).',
    }),
  ),
  nexusPoolId: Type.Optional(Type.String({ description: 'The Nexus pool id when source is nexus.' })),
  role: Type.Enum(['production', 'walled-garden'], { description: 'What subscribers in it get.' }),
  sharing: Type.Enum(['exclusive', 'shared'], {
    description:
      'exclusive: only this node (or its HA pair) serves it, the aggregate may be advertised; shared: other nodes hand out addresses from it too, only host routes are correct.',
  }),
  delegationLength: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 128, description: 'IPv6 prefix delegation: the delegated length.' }),
  ),
  labels: Type.Optional(
    Type.Record(Type.String({ maxLength: 317 }), Type.String({ maxLength: 63 }), {
      description: 'Extra labels BGPAdvertisement pool selectors can match.',
    }),
  ),
  allocated: Count('Addresses handed out.'),
  available: Count('Addresses free.'),
  total: Count('Addresses in the pool.'),
});

export const PoolsResponse = Type.Object({
  apiVersion: Type.Literal('v1', { description: 'Contract version.' }),
  nodeId: Type.String({ description: "The BNG's node id (logs and status)." }),
  generation: Type.Integer({ minimum: 0, description: 'Increases when the pool list or a pool changes.' }),
  haRole: Type.Optional(
    Type.Enum(['active', 'standby'], {
      description: 'HA pair role (the BNG --ha-role): a standby advertises its pools less preferred.',
    }),
  ),
  draining: Type.Optional(
    Type.Boolean({ description: 'A planned stop is under way: routes get GRACEFUL_SHUTDOWN.' }),
  ),
  pools: Type.Array(Type.Unknown(), { description: 'Pools (each is an AgentPool).' }),
});

export const Lease = Type.Object({
  ip: Type.Optional(Type.String({ maxLength: 45, description: 'Leased address (a /32 or /128 route).' })),
  prefix: Type.Optional(Type.String({ maxLength: 49, description: 'Delegated prefix (advertised as is).' })),
  mac: Type.Optional(Type.String({ description: 'Subscriber MAC (informational).' })),
  expiresAt: Type.Optional(
    Type.String({ format: 'date-time', description: 'Lease expiry (informational).' }),
  ),
  sessionId: Type.Optional(Type.String({ description: 'BNG session id (informational).' })),
});

export const LeasesResponse = Type.Object({
  apiVersion: Type.Literal('v1'),
  pool: Type.String({ description: 'The pool id asked for.' }),
  generation: Type.Integer({ minimum: 0, description: 'Increases when the lease list changes.' }),
  leases: Type.Array(Lease),
});

export type PoolsResponse = Static<typeof PoolsResponse>;

/** The first schema error of a value, as one line for a status message. */
export function firstError(schema: TSchema, value: unknown): string | undefined {
  if (Value.Check(schema, value)) return undefined;
  const [err] = Value.Errors(schema, value);
  return err ? `${err.instancePath || '/'} ${err.message}` : 'does not match the schema';
}

/** The entries of a list that match `schema`, and why each other one does not. */
export function checkEntries<T extends TSchema>(
  schema: T,
  entries: unknown[],
): { valid: Static<T>[]; invalid: InvalidPool[] } {
  const valid: Static<T>[] = [];
  const invalid: InvalidPool[] = [];
  entries.forEach((entry, i) => {
    const bad = firstError(schema, entry);
    const id = (entry as { id?: unknown } | null)?.id;
    if (bad) invalid.push({ id: typeof id === 'string' ? id : `pools[${i}]`, message: bad });
    else valid.push(entry as Static<T>);
  });
  return { valid, invalid };
}

/** A pools response -> usable pools and the entries that are not. Throws on a bad envelope. */
export function readPools(body: unknown): {
  response: PoolsResponse;
  pools: BngPool[];
  invalid: InvalidPool[];
} {
  const error = firstError(PoolsResponse, body);
  if (error) throw new Error(`pool list: ${error}`);
  const response = body as PoolsResponse;
  const { valid, invalid } = checkEntries(AgentPool, response.pools);
  const pools: BngPool[] = [];
  const seen = new Set<string>();
  for (const p of valid) {
    const cidr = canonicalCidr(p.cidr);
    if ('error' in cidr) {
      invalid.push({ id: p.id, message: cidr.error });
      continue;
    }
    if (seen.has(p.id)) {
      invalid.push({ id: p.id, message: 'duplicate pool id' });
      continue;
    }
    seen.add(p.id);
    const pool = {
      id: p.id,
      ...(p.name ? { name: p.name } : {}),
      cidr: cidr.cidr,
      ...(p.gateway ? { gateway: p.gateway } : {}),
      role: p.role,
      sharing: p.sharing,
      standby: response.haRole === 'standby',
      ...(p.allocated !== undefined ? { allocated: p.allocated } : {}),
      ...(p.available !== undefined ? { available: p.available } : {}),
      ...(p.total !== undefined ? { total: p.total } : {}),
    };
    pools.push({ ...pool, labels: poolLabels(pool, p.labels) });
  }
  return { response, pools, invalid };
}

/** A leases response -> canonical host routes inside the pool. Throws on a bad envelope. */
export function readLeases(body: unknown, pool: BngPool): string[] {
  const error = firstError(LeasesResponse, body);
  if (error) throw new Error(`leases of pool ${pool.id}: ${error}`);
  const routes = new Set<string>();
  for (const lease of (body as Static<typeof LeasesResponse>).leases) {
    const route = leaseRoute(lease.prefix ?? lease.ip ?? '', pool.cidr);
    if (route) routes.add(route);
  }
  return [...routes].sort();
}

/** docs/bng-pool-api.schema.json: the contract as JSON Schema, for the BNG project to validate against. */
export function renderPoolApiSchema(): string {
  const schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://bng-edge.io/schemas/bng-pool-api/v1.json',
    title: 'BNG agent pool API v1 (docs/bng-pool-api.md)',
    $defs: {
      PoolsResponse: {
        ...PoolsResponse,
        properties: {
          ...PoolsResponse.properties,
          pools: { type: 'array', items: { $ref: '#/$defs/Pool' } },
        },
      },
      Pool: AgentPool,
      LeasesResponse: {
        ...LeasesResponse,
        properties: {
          ...LeasesResponse.properties,
          leases: { type: 'array', items: { $ref: '#/$defs/Lease' } },
        },
      },
      Lease: { ...Lease, anyOf: [{ required: ['ip'] }, { required: ['prefix'] }] },
    },
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
