// What only the elected leader does: turn peering policies into BGPSessions, and write the
// cluster-level status of every object. Two keys on one queue; every cache change enqueues both.
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { BGPSession } from '../api/types.ts';
import { canonicalJson } from '../compile/hash.ts';
import { GROUP, VERSION, type StatusWriter } from '../kube/status-writer.ts';
import { WorkQueue } from '../runtime/workqueue.ts';
import { aggregateStatus } from './aggregate-status.ts';
import type { ClusterCaches } from './caches.ts';
import { generateSessions, POLICY_LABEL } from './generate-sessions.ts';

export class LeaderControllers {
  private queue: WorkQueue | undefined;
  private running: Promise<void> | undefined;
  private readonly custom: CustomObjectsApi;
  private readonly caches: ClusterCaches;
  private readonly status: StatusWriter;
  private readonly log: Logger;

  constructor(kc: KubeConfig, caches: ClusterCaches, status: StatusWriter, log: Logger) {
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.caches = caches;
    this.status = status;
    this.log = log;
  }

  enqueue(): void {
    this.queue?.add('sessions');
    this.queue?.add('status');
  }

  start(): void {
    if (this.queue) return;
    const queue = new WorkQueue({
      onError: (key, err, failures) =>
        this.log.warn({ key, err: String(err), failures }, 'leader pass failed'),
    });
    this.queue = queue;
    this.running = queue.run((key) => (key === 'sessions' ? this.applySessions() : this.writeStatus()));
    this.enqueue();
  }

  async stop(): Promise<void> {
    this.queue?.stop();
    await this.running;
    this.queue = undefined;
  }

  private generated() {
    return generateSessions(this.caches.peeringPolicies.list(), this.caches.endpoints.list());
  }

  private async applySessions(): Promise<void> {
    const desired = this.generated().sessions;
    const plural = 'bgpsessions';
    const api = { group: GROUP, version: VERSION, plural };
    for (const session of desired) {
      const name = session.metadata.name ?? '';
      const existing = this.caches.sessions.get(name);
      if (!existing) {
        await this.custom.createClusterCustomObject({ ...api, body: session }).catch(ignore(409));
        continue;
      }
      const same = (s: BGPSession) => canonicalJson({ spec: s.spec, labels: s.metadata.labels ?? {} });
      if (same(existing) === same(session)) continue;
      const body = {
        ...session,
        metadata: { ...session.metadata, resourceVersion: existing.metadata.resourceVersion },
      };
      await this.custom.replaceClusterCustomObject({ ...api, name, body });
    }
    const wanted = new Set(desired.map((s) => s.metadata.name));
    for (const s of this.caches.sessions.list()) {
      const name = s.metadata.name ?? '';
      if (s.metadata.labels?.[POLICY_LABEL] && !wanted.has(name)) {
        await this.custom.deleteClusterCustomObject({ ...api, name }).catch(ignore(404));
      }
    }
  }

  private async writeStatus(): Promise<{ requeueAfterMs: number }> {
    for (const u of aggregateStatus(this.caches, this.generated())) {
      await this.status.apply(u.kind, u.plural, u.name, u.status, u.current).catch(ignore(404));
    }
    return { requeueAfterMs: 10_000 };
  }
}

/** A rejection handler that swallows one HTTP status (the object is gone, or exists already). */
function ignore(code: number) {
  return (err: unknown) => {
    if ((err as { code?: number }).code !== code) throw err;
  };
}
