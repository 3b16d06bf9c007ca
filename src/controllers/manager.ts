// Runs one node's operator: caches (started and synced before any controller), the node agent
// (always), and the leader-only controllers while this node holds the leader Lease. Stopping never
// touches GoBGP: peers keep their sessions and routes while the agent restarts or upgrades.
import { CoordinationV1Api, KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { GobgpClient } from '../gobgp/client.ts';
import type { RestartDaemon } from '../gobgp/reconcile/global.ts';
import { EventRecorder } from '../kube/events.ts';
import { StatusWriter } from '../kube/status-writer.ts';
import { LeaderElector } from '../runtime/leader.ts';
import { ReconcileMetrics } from '../runtime/reconcile-metrics.ts';
import { startHttpServer } from '../runtime/http-server.ts';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { ClusterCaches } from './caches.ts';
import { LeaderControllers } from './leader-controllers.ts';
import { NodeAgent } from './node-agent.ts';

export interface ManagerOptions {
  kubeconfig?: string;
  nodeName: string;
  gobgpTarget: string;
  secretNamespaces: string[];
  lease: {
    namespace: string;
    name: string;
    durationMs: number;
    renewDeadlineMs: number;
    retryPeriodMs: number;
  };
  restartDaemon?: RestartDaemon;
  /** host:port of /metrics, /healthz and /readyz; undefined: not served. */
  httpAddress?: string;
  log: Logger;
}

export interface Running {
  isLeader(): boolean;
  stop(): Promise<void>;
}

export async function startManager(opts: ManagerOptions): Promise<Running> {
  const { log, nodeName } = opts;
  const kc = new KubeConfig();
  if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
  else kc.loadFromDefault();
  const status = new StatusWriter(kc, `bng-bgp/${nodeName}`);
  const events = new EventRecorder(kc, nodeName, log);
  // Filled in once the caches have synced; cache events before that need no controller. The
  // agent also answers /readyz: caches synced, desired state applied to a reachable GoBGP.
  const controllers: { agent?: NodeAgent; leader?: LeaderControllers } = {};
  const caches = new ClusterCaches(
    kc,
    opts.secretNamespaces,
    () => {
      controllers.agent?.enqueue();
      controllers.leader?.enqueue();
    },
    log,
  );
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'bngbgp_' });
  const reconcileMetrics = new ReconcileMetrics(registry);
  const http = opts.httpAddress
    ? await startHttpServer({
        address: opts.httpAddress,
        registry,
        ready: () => controllers.agent?.ready() ?? false,
      })
    : undefined;
  if (http) log.info({ address: opts.httpAddress, port: http.port }, 'serving /metrics /healthz /readyz');
  log.info({ node: nodeName }, 'syncing caches');
  await caches.start();
  const gobgp = new GobgpClient(opts.gobgpTarget);
  const agent = new NodeAgent({
    kc,
    nodeName,
    caches,
    gobgp,
    status,
    events,
    log,
    registry,
    reconcileMetrics,
    ...(opts.restartDaemon ? { restartDaemon: opts.restartDaemon } : {}),
  });
  controllers.agent = agent;
  agent.start();
  const leaderControllers = new LeaderControllers(kc, caches, status, log, reconcileMetrics);
  controllers.leader = leaderControllers;
  const elector = new LeaderElector(kc.makeApiClient(CoordinationV1Api), {
    namespace: opts.lease.namespace,
    name: opts.lease.name,
    identity: nodeName,
    leaseDurationMs: opts.lease.durationMs,
    renewDeadlineMs: opts.lease.renewDeadlineMs,
    retryPeriodMs: opts.lease.retryPeriodMs,
    onStartedLeading: () => {
      log.info('became leader');
      leaderControllers.start();
    },
    onStoppedLeading: () => {
      log.warn('stopped leading');
      void leaderControllers.stop();
    },
    onError: (err) => log.warn({ err: String(err) }, 'leader election'),
  });
  elector.start();
  log.info({ node: nodeName, gobgp: opts.gobgpTarget }, 'running');
  return {
    isLeader: () => elector.isLeader,
    async stop() {
      await elector.stop();
      await leaderControllers.stop();
      await agent.stop();
      await caches.stop();
      gobgp.close();
      http?.server.close();
    },
  };
}
