// Every watched resource the controllers read: the seven bgp.bng-edge.io kinds, Nodes, and the
// Secrets of the namespaces MD5 passwords may live in (not every Secret of the cluster). Reads come
// from these caches; writes go straight to the apiserver.
import {
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type V1Node,
  type V1Secret,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type {
  BGPAdvertisement,
  BGPConfiguration,
  BGPEndpoint,
  BGPNodeState,
  BGPPeeringPolicy,
  BGPRoutePolicy,
  BGPSession,
} from '../api/types.ts';
import type { Snapshot } from '../compile/model.ts';
import { Cache } from '../kube/cache.ts';
import { GROUP, VERSION } from '../kube/status-writer.ts';

/** Set to "true" on a Node before a planned BNG stop: its pool routes get GRACEFUL_SHUTDOWN. */
export const DRAIN_POOLS_ANNOTATION = 'bgp.bng-edge.io/drain-pools';

export class ClusterCaches {
  readonly configurations: Cache<BGPConfiguration>;
  readonly endpoints: Cache<BGPEndpoint>;
  readonly sessions: Cache<BGPSession>;
  readonly peeringPolicies: Cache<BGPPeeringPolicy>;
  readonly advertisements: Cache<BGPAdvertisement>;
  readonly routePolicies: Cache<BGPRoutePolicy>;
  readonly nodeStates: Cache<BGPNodeState>;
  readonly nodes: Cache<V1Node>;
  readonly secrets: Cache<V1Secret>[];
  private readonly all: Cache<KubernetesObject>[];

  constructor(
    kc: KubeConfig,
    secretNamespaces: string[],
    onChange: (obj: KubernetesObject) => void,
    log: Logger,
  ) {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const core = kc.makeApiClient(CoreV1Api);
    const kind = <T extends KubernetesObject>(plural: string) =>
      new Cache<T>(kc, {
        path: `/apis/${GROUP}/${VERSION}/${plural}`,
        list: async () =>
          (await custom.listClusterCustomObject({
            group: GROUP,
            version: VERSION,
            plural,
          })) as KubernetesListObject<T>,
        onChange,
        log,
      });
    this.configurations = kind('bgpconfigurations');
    this.endpoints = kind('bgpendpoints');
    this.sessions = kind('bgpsessions');
    this.peeringPolicies = kind('bgppeeringpolicies');
    this.advertisements = kind('bgpadvertisements');
    this.routePolicies = kind('bgproutepolicies');
    this.nodeStates = kind('bgpnodestates');
    this.nodes = new Cache<V1Node>(kc, { path: '/api/v1/nodes', list: () => core.listNode(), onChange, log });
    this.secrets = secretNamespaces.map(
      (namespace) =>
        new Cache<V1Secret>(kc, {
          path: `/api/v1/namespaces/${namespace}/secrets`,
          list: () => core.listNamespacedSecret({ namespace }),
          onChange,
          log,
        }),
    );
    this.all = [
      this.configurations,
      this.endpoints,
      this.sessions,
      this.peeringPolicies,
      this.advertisements,
      this.routePolicies,
      this.nodeStates,
      this.nodes,
      ...this.secrets,
    ] as Cache<KubernetesObject>[];
  }

  async start(): Promise<void> {
    await Promise.all(this.all.map((c) => c.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.all.map((c) => c.stop()));
  }

  /** The cluster as node `nodeName` sees it, for compileNode. */
  snapshotFor(nodeName: string): Snapshot {
    const node = this.nodes.get(nodeName);
    const address = (family: 4 | 6) =>
      node?.status?.addresses?.find(
        (a) => a.type === 'InternalIP' && a.address.includes(':') === (family === 6),
      )?.address;
    const ipv4 = address(4);
    const ipv6 = address(6);
    const running = this.nodeStates.get(nodeName)?.status?.configuration;
    const secrets = new Map<string, Record<string, string>>();
    for (const s of this.secrets.flatMap((c) => c.list())) {
      const data = Object.fromEntries(
        Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
      );
      secrets.set(`${s.metadata?.namespace}/${s.metadata?.name}`, data);
    }
    const poolClaims = this.nodeStates.list().flatMap((state) =>
      (state.status?.bngPools?.pools ?? [])
        .filter((p) => p.mode === 'Aggregate')
        .map((p) => ({
          node: state.metadata.name ?? '',
          cidr: p.cidr,
          standby: p.standby ?? false,
          ...(p.since ? { since: p.since } : {}),
        })),
    );
    return {
      node: {
        name: nodeName,
        labels: node?.metadata?.labels ?? {},
        addresses: { ...(ipv4 ? { ipv4 } : {}), ...(ipv6 ? { ipv6 } : {}) },
        drainPools: node?.metadata?.annotations?.[DRAIN_POOLS_ANNOTATION] === 'true',
        ...(running ? { configuration: running } : {}),
      },
      poolClaims,
      configurations: [...this.configurations.list()],
      endpoints: [...this.endpoints.list()],
      sessions: [...this.sessions.list()],
      advertisements: [...this.advertisements.list()],
      routePolicies: [...this.routePolicies.list()],
      secrets,
    };
  }
}
