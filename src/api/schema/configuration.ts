// BGPConfiguration: the BGP speaker of a set of nodes: identity, graceful restart, ECMP, FIB
// installation and where the BNG subscriber pools come from. Several configurations may cover
// different node sets; a node matched by two is a reported conflict.
import Type from 'typebox';
import {
  AddressFamilies,
  ASNumber,
  cel,
  IPv4Address,
  LabelSelector,
  Port,
  Prefix,
  statusBase,
  StringMap,
} from './common.ts';

const PoolHealth = {
  healthURL: Type.Optional(
    Type.String({
      maxLength: 2048,
      default: 'http://127.0.0.1:9090/health',
      description: 'The local BNG health endpoint; its pools are advertised only while it answers.',
    }),
  ),
  intervalMs: Type.Optional(
    Type.Integer({ minimum: 100, maximum: 60000, default: 500, description: 'Polling interval (ms).' }),
  ),
  failureThreshold: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 100,
      default: 4,
      description: 'Failed polls in a row before withdrawal.',
    }),
  ),
};

const StaticPool = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 63, description: 'Pool name.' }),
  cidr: Prefix({ description: 'Pool prefix.' }),
  role: Type.Optional(
    Type.Enum(['production', 'walled-garden'], {
      default: 'production',
      description: 'What subscribers get.',
    }),
  ),
  sharing: Type.Optional(
    Type.Enum(['exclusive', 'shared'], {
      description:
        'exclusive: one node (and its standbys) serves the pool, its aggregate is advertised; shared: several nodes do, only host routes are correct. Default: exclusive when nodeNames lists exactly one node, else shared.',
    }),
  ),
  nodeNames: Type.Optional(
    Type.Array(Type.String({ maxLength: 253 }), {
      maxItems: 64,
      description: 'Nodes that serve the pool; empty: every covered node.',
    }),
  ),
  standbyNodeNames: Type.Optional(
    Type.Array(Type.String({ maxLength: 253 }), {
      maxItems: 64,
      description:
        'HA standby nodes: they advertise the pool less preferred (BGPAdvertisement pools.standby).',
    }),
  ),
  labels: Type.Optional(StringMap({ description: 'Labels BGPAdvertisement pool selectors match.' })),
});

export const BGPConfigurationSpec = Type.Object(
  {
    asNumber: ASNumber({ description: 'AS of the nodes this configuration covers.', example: 64512 }),
    routerIDSource: Type.Optional(
      Type.Enum(['NodeIP', 'Manual'], {
        default: 'NodeIP',
        description: 'NodeIP: the node IPv4 InternalIP; Manual: routerID below.',
      }),
    ),
    routerID: Type.Optional(IPv4Address({ description: 'Router ID when routerIDSource is Manual.' })),
    listenPort: Type.Optional(
      Port({ default: 179, description: 'TCP port GoBGP listens on for incoming sessions.' }),
    ),
    addressFamilies: Type.Optional(
      AddressFamilies({ description: 'Families enabled by default on sessions.' }),
    ),
    nodeSelector: Type.Optional(
      LabelSelector({ description: 'Nodes this configuration covers; empty: all nodes.' }),
    ),
    gracefulRestart: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(Type.Boolean({ default: true, description: 'Restarter and helper modes.' })),
          restartTime: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 4095,
              default: 120,
              description: 'Restart time announced to peers (s).',
            }),
          ),
          deferralTime: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 3600,
              default: 30,
              description:
                'Most seconds to wait for End-of-RIB after a restart before sending routes (GoBGP default 360).',
            }),
          ),
        },
        { description: 'Graceful restart (RFC 4724) so upgrades do not withdraw routes.' },
      ),
    ),
    ecmp: Type.Optional(
      Type.Object(
        {
          maxPaths: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 256,
              default: 8,
              description: 'Equal-cost paths installed.',
            }),
          ),
        },
        { description: 'Multipath for learned routes.' },
      ),
    ),
    fib: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(
            Type.Boolean({ default: true, description: 'Install learned best paths into the kernel.' }),
          ),
          table: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 4294967295,
              format: 'int64',
              default: 254,
              description: 'Kernel routing table (254 is main). Never 253 or 255 (default, local).',
              'x-kubernetes-validations': [
                cel('self != 253 && self != 255', 'must not be 253 (default) or 255 (local)'),
              ],
            }),
          ),
          metric: Type.Optional(
            Type.Integer({
              minimum: 0,
              maximum: 4294967295,
              format: 'int64',
              default: 20,
              description: 'Route metric.',
            }),
          ),
          maxRoutes: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 10000000,
              default: 2000000,
              description: 'Upper limit on installed routes; beyond it installation stops with a warning.',
            }),
          ),
          resyncIntervalSeconds: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 3600,
              default: 30,
              description:
                'How often the kernel table is read back and repaired (routes of ours deleted or changed by hand, stale ones).',
            }),
          ),
        },
        { description: 'Kernel FIB installation of learned routes (route protocol 196).' },
      ),
    ),
    nodeEndpoint: Type.Optional(
      Type.Object(
        {
          create: Type.Optional(
            Type.Boolean({
              default: false,
              description: 'Create a BGPEndpoint named after each covered node.',
            }),
          ),
          addressFamily: Type.Optional(
            Type.Enum(['IPv4', 'IPv6'], {
              default: 'IPv4',
              description: 'Family of the Node InternalIP used.',
            }),
          ),
          labels: Type.Optional(StringMap({ description: 'Labels put on the created endpoints.' })),
        },
        { description: 'Automatic BGPEndpoints for the nodes, from their InternalIP.' },
      ),
    ),
    bngPools: Type.Optional(
      Type.Object(
        {
          source: Type.Enum(['None', 'Agent', 'Static', 'Nexus'], {
            default: 'None',
            description: 'Where pools come from.',
          }),
          agent: Type.Optional(
            Type.Object(
              {
                url: Type.Optional(
                  Type.String({
                    maxLength: 2048,
                    default: 'http://127.0.0.1:9090/api/v1/pools',
                    description: 'Pool list of the local BNG agent (docs/bng-pool-api.md).',
                  }),
                ),
                ...PoolHealth,
              },
              { description: 'The BNG agent pool API on the node.' },
            ),
          ),
          static: Type.Optional(
            Type.Object(
              {
                pools: Type.Array(StaticPool, { maxItems: 256, description: 'Pools of every covered node.' }),
                ...PoolHealth,
              },
              { description: 'Pools listed here, alive while the local BNG is healthy.' },
            ),
          ),
          nexus: Type.Optional(
            Type.Object(
              {
                url: Type.String({
                  maxLength: 2048,
                  description: 'Nexus server base URL (GET <url>/api/v1/pools).',
                  example: 'http://nexus.bng-system:9000',
                }),
                refreshIntervalSeconds: Type.Optional(
                  Type.Integer({
                    minimum: 2,
                    maximum: 3600,
                    default: 10,
                    description:
                      'How often the pool list (and the allocations of shared pools) is read; Nexus rate-limits each client to 100 requests a minute.',
                  }),
                ),
                ...PoolHealth,
              },
              {
                description:
                  'Pools read from Nexus, bound to nodes by pool metadata (docs/bng-pool-api.md); liveness from the local BNG.',
              },
            ),
          ),
        },
        {
          description: 'BNG subscriber pools to advertise.',
          'x-kubernetes-validations': [
            cel("self.source != 'Static' || has(self.static)", 'source Static needs the static block', {
              fieldPath: '.static',
            }),
            cel("self.source != 'Nexus' || has(self.nexus)", 'source Nexus needs the nexus block', {
              fieldPath: '.nexus',
            }),
          ],
        },
      ),
    ),
  },
  {
    'x-kubernetes-validations': [
      cel(
        "!has(self.routerIDSource) || self.routerIDSource != 'Manual' || has(self.routerID)",
        'routerID is required when routerIDSource is Manual',
        {
          fieldPath: '.routerID',
          reason: 'FieldValueRequired',
        },
      ),
    ],
  },
);

export const BGPConfigurationStatus = Type.Object({
  ...statusBase,
  matchedNodes: Type.Optional(Type.Integer({ minimum: 0, description: 'Nodes this configuration covers.' })),
  readyNodes: Type.Optional(
    Type.Integer({ minimum: 0, description: 'Covered nodes whose speaker is ready.' }),
  ),
});
