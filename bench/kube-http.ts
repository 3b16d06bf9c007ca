// The apiserver over plain HTTPS with the bed's admin token. The benchmarks time the product, not
// kubectl: a kubectl process costs 100-300 ms to start on this 2-core machine, more than some of
// the figures it would wrap. Watches count every write (several writes to one object within a
// window are several writes, which a resourceVersion comparison would fold into one).
import { readFileSync } from 'node:fs';
import { request, type RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';

export const GROUP_PATH = '/apis/bgp.bng-edge.io/v1alpha1';

export interface KubeObject {
  kind?: string;
  metadata: { name: string; resourceVersion?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject & { code?: number };
}

export class KubeHttp {
  private readonly base: URL;
  private readonly ca: string;
  private readonly token: string;

  /** From a kubeconfig as the bed writes it (JSON: one cluster with CA data, one token user). */
  constructor(kubeconfigPath: string) {
    const config = JSON.parse(readFileSync(kubeconfigPath, 'utf8')) as {
      clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { user: { token: string } }[];
    };
    const cluster = config.clusters[0]!.cluster;
    this.base = new URL(cluster.server);
    this.ca = Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8');
    this.token = config.users[0]!.user.token;
  }

  private options(method: string, path: string, contentType?: string): RequestOptions {
    return {
      method,
      host: this.base.hostname,
      port: this.base.port,
      path,
      ca: this.ca,
      headers: {
        Authorization: `Bearer ${this.token}`,
        Accept: 'application/json',
        ...(contentType ? { 'Content-Type': contentType } : {}),
      },
    };
  }

  /** One request; resolves with the parsed answer, rejects on a non-2xx status with its message. */
  async call<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const text = await this.text(method, path, body, contentType);
    return (text ? JSON.parse(text) : {}) as T;
  }

  /** One request; resolves with the answer's text (say, the apiserver's own /metrics). */
  text(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = request(this.options(method, path, body === undefined ? undefined : contentType), (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const code = res.statusCode ?? 0;
          if (code >= 200 && code < 300) resolve(text);
          else reject(Object.assign(new Error(`${method} ${path}: ${code} ${text.slice(0, 300)}`), { code }));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  list(path: string): Promise<{ metadata: { resourceVersion: string }; items: KubeObject[] }> {
    return this.call('GET', path);
  }

  /**
   * Streams watch events of `path` from `resourceVersion` until `stop()`; `onEnd` hears why a
   * stream ended by itself (the server closed it, or an error such as 410 Gone).
   */
  watch(
    path: string,
    resourceVersion: string,
    onEvent: (e: WatchEvent) => void,
    onEnd: (err?: Error) => void,
  ): { stop(): void } {
    const query = `watch=1&allowWatchBookmarks=true&resourceVersion=${resourceVersion}`;
    let stopped = false;
    const req = request(this.options('GET', `${path}?${query}`), (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        res.resume();
        onEnd(new Error(`watch ${path}: ${res.statusCode}`));
        return;
      }
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const text = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (text.trim()) onEvent(JSON.parse(text) as WatchEvent);
        }
      });
      res.on('end', () => stopped || onEnd());
      res.on('error', (err) => stopped || onEnd(err));
    });
    req.on('error', (err) => stopped || onEnd(err));
    req.end();
    return {
      stop() {
        stopped = true;
        req.destroy();
      },
    };
  }
}
