// What only the elected leader does: create the nodes' own BGPEndpoints, turn peering policies
// into BGPSessions, and write the cluster-level status of every object. Three keys on one queue;
// every cache change enqueues them all.
import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { TSchema } from 'typebox';
import Value from 'typebox/value';
import { BGPEndpointSpec } from '../api/schema/endpoint.ts';
import { BGPSessionSpec } from '../api/schema/session.ts';
import type { BGPEndpoint, BGPSession } from '../api/types.ts';
import { ignoreStatus } from '../kube/api-errors.ts';
import type { Cache } from '../kube/cache.ts';
import { generateNodeEndpoints, NODE_ENDPOINT_LABEL } from './generate-endpoints.ts';
import { canonicalJson } from '../compile/hash.ts';
import { GROUP, VERSION, type StatusWriter } from '../kube/status-writer.ts';
import { WorkQueue } from '../runtime/workqueue.ts';
import type { ReconcileMetrics } from '../runtime/reconcile-metrics.ts';
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
  private readonly reconcileMetrics: ReconcileMetrics | undefined;

  constructor(
    kc: KubeConfig,
    caches: ClusterCaches,
    status: StatusWriter,
    log: Logger,
    reconcileMetrics?: ReconcileMetrics,
  ) {
    this.reconcileMetrics = reconcileMetrics;
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.caches = caches;
    this.status = status;
    this.log = log;
  }

  enqueue(): void {
    this.queue?.add('endpoints');
    this.queue?.add('sessions');
    this.queue?.add('status');
  }

  start(): void {
    if (this.queue) return;
    const queue = new WorkQueue({
      onError: (key, err, failures) =>
        this.log.warn({ key, err: String(err), failures }, 'leader pass failed'),
      ...(this.reconcileMetrics ? { onDone: this.reconcileMetrics.hook('leader') } : {}),
    });
    this.queue = queue;
    this.running = queue.run((key) =>
      key === 'endpoints'
        ? this.applyEndpoints()
        : key === 'sessions'
          ? this.applySessions()
          : this.writeStatus(),
    );
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

  private generatedEndpoints() {
    return generateNodeEndpoints(
      this.caches.configurations.list(),
      this.caches.nodes.list(),
      this.caches.endpoints.list(),
    );
  }

  private async applyEndpoints(): Promise<void> {
    await this.converge(
      'bgpendpoints',
      this.caches.endpoints,
      this.generatedEndpoints().endpoints,
      NODE_ENDPOINT_LABEL,
      BGPEndpointSpec,
    );
  }

  private async applySessions(): Promise<void> {
    await this.converge(
      'bgpsessions',
      this.caches.sessions,
      this.generated().sessions,
      POLICY_LABEL,
      BGPSessionSpec,
    );
  }

  /**
   * Makes the objects carrying `ownerLabel` exactly `desired`: server-side apply (create or update
   * in one call, no resourceVersion to race the status writes; a field dropped from the template is
   * dropped from the object) for the changed ones, delete for the ones no longer generated.
   */
  private async converge<T extends BGPSession | BGPEndpoint>(
    plural: string,
    cache: Cache<T>,
    desired: T[],
    ownerLabel: string,
    specSchema: TSchema,
  ): Promise<void> {
    const api = { group: GROUP, version: VERSION, plural };
    // The stored object carries the CRD's defaults (holdTime 90, port 179, ...): compared without
    // them, every generated object looked changed and was applied again on every pass.
    const content = (o: T, defaults: boolean) =>
      canonicalJson({
        spec: defaults ? Value.Default(specSchema, structuredClone(o.spec)) : o.spec,
        labels: o.metadata.labels ?? {},
      });
    for (const object of desired) {
      const name = object.metadata.name ?? '';
      const existing = cache.get(name);
      if (existing && content(existing, false) === content(object, true)) continue;
      await this.custom.patchClusterCustomObject(
        { ...api, name, body: object, fieldManager: 'bng-bgp/leader', force: true },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      );
    }
    const wanted = new Set(desired.map((o) => o.metadata.name));
    for (const o of cache.list()) {
      const name = o.metadata.name ?? '';
      if (o.metadata.labels?.[ownerLabel] && !wanted.has(name)) {
        await this.custom.deleteClusterCustomObject({ ...api, name }).catch(ignoreStatus(404));
      }
    }
  }

  private async writeStatus(): Promise<{ requeueAfterMs: number }> {
    const generated = this.generated();
    const diagnostics = [...generated.diagnostics, ...this.generatedEndpoints().diagnostics];
    for (const u of aggregateStatus(this.caches, { ...generated, diagnostics })) {
      await this.status.apply(u.kind, u.plural, u.name, u.status, u.current).catch(ignoreStatus(404));
    }
    return { requeueAfterMs: 10_000 };
  }
}
