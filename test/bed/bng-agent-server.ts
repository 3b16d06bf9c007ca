// A BNG agent serving the pool API of docs/bng-pool-api.md, for the bench: no BNG serves it yet.
// Run in a node's namespace: `node bng-agent-server.ts --listen 127.0.0.1:9090 --state FILE`. The
// test drives it by rewriting FILE (read again on every request), fails its health with FILE.down,
// and kills it to play a BNG crash.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';

export interface AgentState {
  nodeId: string;
  haRole?: 'active' | 'standby';
  draining?: boolean;
  /** false: /health answers 503. */
  healthy?: boolean;
  /** true: /api/v1/pools answers 500 (the BNG is alive but its pool list cannot be read). */
  failPools?: boolean;
  pools: Record<string, unknown>[];
  /** Leased addresses (or delegated prefixes) by pool id. */
  leases?: Record<string, string[]>;
}

const { values } = parseArgs({ options: { listen: { type: 'string' }, state: { type: 'string' } } });
const [host = '127.0.0.1', port = '9090'] = (values.listen ?? '').split(/:(?=\d+$)/);
const stateFile = values.state ?? '';
const generations = new Map<string, { hash: string; generation: number }>();

/** A generation per document that goes up whenever its content changes. */
function generation(doc: string, content: unknown): number {
  const hash = createHash('sha256').update(JSON.stringify(content)).digest('hex');
  const known = generations.get(doc);
  if (known?.hash === hash) return known.generation;
  const next = { hash, generation: (known?.generation ?? 0) + 1 };
  generations.set(doc, next);
  return next.generation;
}

function send(res: ServerResponse, ifNoneMatch: string | undefined, etag: string, body: unknown): void {
  if (ifNoneMatch === etag) {
    res.writeHead(304, { etag }).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json', etag }).end(JSON.stringify(body));
}

createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://agent');
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as AgentState;
  const inm = req.headers['if-none-match'];
  if (url.pathname === '/health') {
    // A file beside the state (`touch STATE.down`) fails the health check too: handy from a shell.
    const healthy = state.healthy !== false && !existsSync(`${stateFile}.down`);
    res.writeHead(healthy ? 200 : 503).end(healthy ? 'ok' : 'unhealthy');
  } else if (url.pathname === '/api/v1/pools' && state.failPools) {
    res.writeHead(500).end('pool manager unavailable');
  } else if (url.pathname === '/api/v1/pools') {
    const content = { haRole: state.haRole, draining: state.draining ?? false, pools: state.pools };
    const gen = generation('pools', content);
    send(res, inm, `"${gen}"`, { apiVersion: 'v1', nodeId: state.nodeId, generation: gen, ...content });
  } else if (url.pathname === '/api/v1/leases') {
    const pool = url.searchParams.get('pool') ?? '';
    if (!state.pools.some((p) => p.id === pool)) {
      res.writeHead(404).end();
      return;
    }
    const leases = (state.leases?.[pool] ?? []).map((l) => (l.includes('/') ? { prefix: l } : { ip: l }));
    const gen = generation(`leases/${pool}`, leases);
    send(res, inm, `"${gen}"`, { apiVersion: 'v1', pool, generation: gen, leases });
  } else {
    res.writeHead(404).end();
  }
}).listen(Number(port), host, () => console.log(`bng agent API on ${host}:${port}, state ${stateFile}`));
