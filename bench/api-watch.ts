// Every write the cluster sees, from watches: the bgp.bng-edge.io objects (kept in memory, so a
// benchmark can wait on their state without listing thousands of objects from the apiserver), and
// the other writes an agent makes (Events, the leader Lease). A write is an ADDED, MODIFIED or
// DELETED event; `reset()` starts a counting window.
import { waitFor } from '../test/bed/wait.ts';
import { GROUP_PATH, type KubeHttp, type KubeObject, type WatchEvent } from './kube-http.ts';

export const BGP_PLURALS = [
  'bgpconfigurations',
  'bgpendpoints',
  'bgpsessions',
  'bgppeeringpolicies',
  'bgpadvertisements',
  'bgproutepolicies',
  'bgpnodestates',
] as const;

interface Collection {
  label: string;
  path: string;
}

/**
 * The seven bgp kinds, then Events (all namespaces) and the agents' Leases (the leader election's
 * renewals; kube-controller-manager's own lease in kube-system is not theirs).
 */
const COLLECTIONS: Collection[] = [
  ...BGP_PLURALS.map((p) => ({ label: p, path: `${GROUP_PATH}/${p}` })),
  { label: 'events', path: '/api/v1/events' },
  { label: 'leases', path: '/apis/coordination.k8s.io/v1/namespaces/bng-bgp/leases' },
];

export const isBgp = (label: string) => (BGP_PLURALS as readonly string[]).includes(label);

export class ApiWatch {
  /** Current objects by collection label, then name. */
  readonly objects = new Map<string, Map<string, KubeObject>>();
  /** Writes per "label/name" since the last reset. */
  private perObject = new Map<string, number>();
  private readonly stops = new Map<string, () => void>();
  private closed = false;
  private readonly kube: KubeHttp;

  private constructor(kube: KubeHttp) {
    this.kube = kube;
  }

  static async start(kube: KubeHttp): Promise<ApiWatch> {
    const w = new ApiWatch(kube);
    for (const c of COLLECTIONS) await w.follow(c);
    return w;
  }

  /** Lists, then watches from the list's resourceVersion; relists after 410 Gone or a broken stream. */
  private async follow(c: Collection): Promise<void> {
    // Right after CRDs are established the apiserver may answer 429 while its storage initialises.
    const list = await waitFor(`list ${c.path}`, () => this.kube.list(c.path), { timeoutMs: 60_000 });
    this.objects.set(c.label, new Map(list.items.map((o) => [o.metadata.name, o])));
    let rv = list.metadata.resourceVersion;
    const restart = (relist: boolean) => {
      if (this.closed) return;
      if (relist) void this.follow(c).catch(() => setTimeout(() => restart(true), 1000));
      else open();
    };
    const open = () => {
      const handle = this.kube.watch(
        c.path,
        rv,
        (e: WatchEvent) => {
          if (e.type === 'ERROR') {
            handle.stop();
            restart(e.object.code === 410);
            return;
          }
          rv = e.object.metadata.resourceVersion ?? rv;
          if (e.type === 'BOOKMARK') return;
          const key = `${c.label}/${e.object.metadata.name}`;
          this.perObject.set(key, (this.perObject.get(key) ?? 0) + 1);
          const objects = this.objects.get(c.label)!;
          if (e.type === 'DELETED') objects.delete(e.object.metadata.name);
          else objects.set(e.object.metadata.name, e.object);
        },
        (err) => setTimeout(() => restart(Boolean(err)), err ? 1000 : 0),
      );
      this.stops.set(c.label, () => handle.stop());
    };
    open();
  }

  /** Starts a new counting window. */
  reset(): void {
    this.perObject = new Map();
  }

  /** Writes since the last reset, per collection label. */
  counts(): Map<string, number> {
    const out = new Map<string, number>(COLLECTIONS.map((c) => [c.label, 0]));
    for (const [key, n] of this.perObject) {
      const label = key.slice(0, key.indexOf('/'));
      out.set(label, (out.get(label) ?? 0) + n);
    }
    return out;
  }

  /** Writes to bgp objects since the last reset. */
  bgpWrites(): number {
    return [...this.counts()].filter(([l]) => isBgp(l)).reduce((a, [, n]) => a + n, 0);
  }

  /** The bgp objects written since the last reset, most written first: "bgpnodestates/bng1 x6". */
  rewritten(limit = 8): string[] {
    return [...this.perObject]
      .filter(([k]) => isBgp(k.slice(0, k.indexOf('/'))))
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([k, n]) => `${k} x${n}`);
  }

  list(label: string): KubeObject[] {
    return [...(this.objects.get(label)?.values() ?? [])];
  }

  get(label: string, name: string): KubeObject | undefined {
    return this.objects.get(label)?.get(name);
  }

  stop(): void {
    this.closed = true;
    for (const stop of this.stops.values()) stop();
  }
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'APPLY', 'DELETE', 'DELETECOLLECTION']);

/**
 * Mutating requests the apiserver has served for bgp.bng-edge.io since it started, by
 * "resource[/subresource] VERB", from its own /metrics (apiserver_request_total). A server-side
 * apply that changes nothing bumps no resourceVersion and sends no watch event, yet it is a
 * request the apiserver handles and the writer waits for: the watches alone cannot see it.
 */
export async function bgpWriteRequests(kube: KubeHttp): Promise<Map<string, number>> {
  const text = await kube.text('GET', '/metrics');
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^apiserver_request_total\{([^}]*)\} (\S+)$/gm)) {
    const labels: Record<string, string | undefined> = Object.fromEntries(
      [...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]),
    );
    if (labels.group !== 'bgp.bng-edge.io' || !MUTATING.has(labels.verb ?? '')) continue;
    const key = `${labels.resource}${labels.subresource ? `/${labels.subresource}` : ''} ${labels.verb}`;
    out.set(key, (out.get(key) ?? 0) + Number(m[2]));
  }
  return out;
}

/** The requests between two readings, most first: ["bgpsessions APPLY x4950", ...]. */
export function requestsBetween(before: Map<string, number>, after: Map<string, number>): string[] {
  return [...after]
    .map(([k, n]) => [k, n - (before.get(k) ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} x${n}`);
}

export const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
