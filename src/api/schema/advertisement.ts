// BGPAdvertisement: prefixes the selected nodes originate, to the selected sessions, with the
// attributes a network engineer sets on an announcement.
import Type from 'typebox';
import {
  AsPathPrepend,
  cel,
  Communities,
  LabelSelector,
  LargeCommunities,
  Prefix,
  statusBase,
} from './common.ts';

export const BGPAdvertisementSpec = Type.Object(
  {
    prefixes: Type.Optional(
      Type.Array(Prefix({ description: 'A prefix to originate.' }), {
        maxItems: 1024,
        description: 'Static prefixes originated by every selected node.',
        example: ['198.51.100.0/24', '2001:db8:100::/48'],
      }),
    ),
    pools: Type.Optional(
      Type.Object(
        {
          selector: Type.Optional(
            LabelSelector({
              description:
                'BNG pools to advertise, by pool labels (bng.bng-edge.io/pool, bng.bng-edge.io/role and the labels the source gives); empty: all.',
            }),
          ),
          mode: Type.Optional(
            Type.Enum(['Auto', 'Aggregate', 'HostRoutes'], {
              default: 'Auto',
              description:
                'Aggregate: the pool prefix (only for pools this node serves alone); HostRoutes: /32 or /128 per active lease; Auto: aggregate for exclusive pools, host routes for shared ones.',
            }),
          ),
          walledGarden: Type.Optional(
            Type.Boolean({ default: false, description: 'Also advertise walled-garden pools.' }),
          ),
          standby: Type.Optional(
            Type.Object(
              {
                med: Type.Optional(
                  Type.Integer({
                    minimum: 0,
                    maximum: 4294967295,
                    format: 'int64',
                    description: 'MED of the standby copy (replaces med).',
                  }),
                ),
                asPathPrepend: Type.Optional(
                  Type.Integer({
                    minimum: 1,
                    maximum: 16,
                    description:
                      'Times the own AS is prepended to the standby copy (on top of asPathPrepend).',
                  }),
                ),
              },
              {
                description:
                  'How an HA standby node makes its copy less preferred; default: the own AS prepended 3 times.',
                'x-kubernetes-validations': [
                  cel('has(self.med) || has(self.asPathPrepend)', 'set med, asPathPrepend or both', {
                    reason: 'FieldValueRequired',
                  }),
                ],
              },
            ),
          ),
          gracefulShutdownOnStop: Type.Optional(
            Type.Boolean({
              default: true,
              description:
                'Tag pool routes GRACEFUL_SHUTDOWN (65535:0) during a planned BNG stop (the agent reports draining, or the Node is annotated bgp.bng-edge.io/drain-pools=true), before they are withdrawn.',
            }),
          ),
        },
        { description: 'Subscriber pools the local BNG hands out.' },
      ),
    ),
    nodeSelector: Type.Optional(LabelSelector({ description: 'Nodes that originate; empty: all nodes.' })),
    peerSelector: Type.Optional(
      LabelSelector({ description: 'BGPSessions (by their labels) that receive it; empty: every session.' }),
    ),
    communities: Type.Optional(
      Communities({ description: 'Standard communities attached.', example: ['65000:100'] }),
    ),
    largeCommunities: Type.Optional(
      LargeCommunities({ description: 'Large communities attached.', example: ['64512:1:100'] }),
    ),
    localPref: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 4294967295,
        format: 'int64',
        description: 'LOCAL_PREF (iBGP sessions).',
      }),
    ),
    med: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 4294967295, format: 'int64', description: 'MED.' }),
    ),
    asPathPrepend: Type.Optional(
      AsPathPrepend('AS-path prepending, for example on the standby node of an HA pair.'),
    ),
  },
  {
    'x-kubernetes-validations': [
      cel(
        '(has(self.prefixes) && size(self.prefixes) > 0) || has(self.pools)',
        'needs prefixes or pools: an advertisement must announce something',
        { reason: 'FieldValueRequired' },
      ),
    ],
  },
);

export const BGPAdvertisementStatus = Type.Object({
  ...statusBase,
  advertisedPrefixCount: Type.Optional(
    Type.Integer({ minimum: 0, description: 'Prefixes announced, summed over the nodes.' }),
  ),
  nodes: Type.Optional(Type.Integer({ minimum: 0, description: 'Nodes that originate it.' })),
});
