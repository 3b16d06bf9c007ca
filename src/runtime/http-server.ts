// The operator's HTTP endpoints: /metrics (Prometheus text), /healthz (the process answers) and
// /readyz (caches synced, desired state applied to a reachable GoBGP). Nothing else is served.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface HttpServerOptions {
  /** "host:port"; port 0 picks a free one. */
  address: string;
  registry: Registry;
  ready: () => boolean;
}

export async function startHttpServer(opts: HttpServerOptions): Promise<{ server: Server; port: number }> {
  const colon = opts.address.lastIndexOf(':');
  const host = opts.address.slice(0, colon).replace(/^\[|\]$/g, '') || '0.0.0.0';
  const port = Number(opts.address.slice(colon + 1));
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (code: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(code, { 'content-type': type });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'method not allowed\n');
    if (path === '/healthz') return reply(200, 'ok\n');
    if (path === '/readyz') return opts.ready() ? reply(200, 'ok\n') : reply(503, 'not ready\n');
    if (path === '/metrics') {
      opts.registry.metrics().then(
        (text) => reply(200, text, opts.registry.contentType),
        (err: unknown) => reply(500, `${String(err)}\n`),
      );
      return;
    }
    reply(404, 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
