// A server implementing exactly the Nexus REST endpoints bng-bgp and the tests use, with Nexus's
// JSON shapes and its per-client rate limit (reference/bng.md §6.1), for the bench: the real Nexus
// module cannot be fetched through this machine's Go module proxy (see docs/bng-pool-api.md).
// `node nexus-server.ts --listen HOST:PORT [--rate-limit N]` (requests a minute per client IP).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { parsePrefix, formatAddress } from '../../src/routesync/rtnl/addr.ts';

interface Pool {
  id: string;
  cidr: string;
  prefix: number;
  exclusions?: string[];
  metadata?: Record<string, string>;
  sharding_factor?: number;
  backup_ratio?: number;
  gateway?: string;
  dns?: string[];
}
interface Allocation {
  pool_id: string;
  subscriber_id: string;
  ip: string;
  timestamp: string;
  node_id?: string;
  alloc_type: string;
}

const { values } = parseArgs({ options: { listen: { type: 'string' }, 'rate-limit': { type: 'string' } } });
const [host = '127.0.0.1', port = '9000'] = (values.listen ?? '').split(/:(?=\d+$)/);
const rateLimit = Number(values['rate-limit'] ?? 100);
const pools = new Map<string, Pool>();
const allocations = new Map<string, Allocation>();
const hits = new Map<string, number[]>();

const json = (res: ServerResponse, status: number, body?: unknown): void =>
  void res
    .writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' })
    .end(body === undefined ? undefined : JSON.stringify(body));
const error = (res: ServerResponse, status: number, message: string): void =>
  json(res, status, { error: message });

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
}

/** Nexus counts requests per client IP over a minute; over the limit it answers 429. */
function limited(req: IncomingMessage): boolean {
  if (rateLimit <= 0) return false;
  const client = req.socket.remoteAddress ?? '';
  const now = Date.now();
  const recent = (hits.get(client) ?? []).filter((t) => now - t < 60_000);
  recent.push(now);
  hits.set(client, recent);
  return recent.length > rateLimit;
}

/** The first address of the pool nobody holds (addresses step by the delegated length). */
function nextFree(pool: Pool): string | undefined {
  const parsed = parsePrefix(pool.cidr);
  if (!parsed || parsed.family !== 4) return undefined;
  const base = parsed.address.reduce((n, b) => n * 256 + b, 0);
  const used = new Set([...allocations.values()].filter((a) => a.pool_id === pool.id).map((a) => a.ip));
  for (let i = 1; i < 2 ** (32 - parsed.length) - 1; i++) {
    const v = base + i;
    const ip = formatAddress(new Uint8Array([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]));
    if (!used.has(ip)) return ip;
  }
  return undefined;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (limited(req)) return error(res, 429, 'rate limit exceeded');
  const url = new URL(req.url ?? '/', 'http://nexus');
  const path = url.pathname.split('/').filter(Boolean);
  const route = `${req.method} /${path.slice(0, 3).join('/')}`;
  if (route === 'GET /health') return void res.writeHead(200).end('ok');
  if (route === 'GET /api/v1/pools' && path.length === 3)
    return json(res, 200, { pools: [...pools.values()], count: pools.size });
  if (route === 'POST /api/v1/pools' && path.length === 3) {
    const pool = (await body(req)) as unknown as Pool;
    const parsed = parsePrefix(pool.cidr ?? '');
    if (!pool.id || !parsed) return error(res, 400, 'id and a valid cidr are required');
    if (!(pool.prefix >= parsed.length && pool.prefix <= (parsed.family === 4 ? 32 : 128)))
      return error(res, 400, 'prefix must be between the cidr mask and the address length');
    if (Object.keys(pool.metadata ?? {}).some((k) => !/^[A-Za-z][A-Za-z0-9_-]*$/.test(k) || k.length > 64))
      return error(res, 400, 'invalid metadata key');
    pools.set(pool.id, pool);
    return json(res, 201, pool);
  }
  if (path[2] === 'pools' && path.length === 4) {
    const pool = pools.get(path[3] ?? '');
    if (!pool) return error(res, 404, 'pool not found');
    if (req.method === 'DELETE') return void (pools.delete(pool.id), res.writeHead(204).end());
    return json(res, 200, pool);
  }
  if (route === 'GET /api/v1/allocations' && path.length === 3) {
    const poolId = url.searchParams.get('pool_id');
    if (!poolId) return error(res, 400, 'pool_id is required');
    const list = [...allocations.values()].filter((a) => a.pool_id === poolId);
    return json(res, 200, { allocations: list, count: list.length });
  }
  if (route === 'POST /api/v1/allocations' && path.length === 3) {
    const b = await body(req);
    const pool = pools.get(typeof b.pool_id === 'string' ? b.pool_id : '');
    const subscriber = typeof b.subscriber_id === 'string' ? b.subscriber_id : '';
    if (!pool || !subscriber) return error(res, 400, 'pool_id and subscriber_id are required');
    if (allocations.has(subscriber)) return error(res, 409, 'subscriber already has an allocation');
    const ip = typeof b.ip === 'string' ? b.ip : nextFree(pool);
    if (!ip) return error(res, 503, 'pool exhausted');
    const allocation: Allocation = {
      pool_id: pool.id,
      subscriber_id: subscriber,
      ip,
      timestamp: new Date().toISOString(),
      ...(typeof b.node_id === 'string' ? { node_id: b.node_id } : {}),
      alloc_type: 'session',
    };
    allocations.set(subscriber, allocation);
    return json(res, 201, allocation);
  }
  if (path[2] === 'allocations' && path.length === 4) {
    const allocation = allocations.get(decodeURIComponent(path[3] ?? ''));
    if (!allocation) return error(res, 404, 'allocation not found');
    if (req.method === 'DELETE')
      return void (allocations.delete(allocation.subscriber_id), res.writeHead(204).end());
    return json(res, 200, allocation);
  }
  return error(res, 404, 'not found');
}

const server = createServer((req, res) => {
  handle(req, res).catch((err: unknown) => error(res, 400, String(err)));
});
server.listen(Number(port), host, () => {
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  console.log(`nexus REST on ${host}:${bound}, rate limit ${rateLimit}/min`);
});
