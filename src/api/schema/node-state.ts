// BGPNodeState: one per node, named after it, written only by that node's agent (its field
// manager): the speaker's identity and health, every peer's live state, what it advertises, and
// the diagnostics of the objects it could not use. The leader aggregates these into the
// cluster-level status of the other kinds, so every status field has exactly one writer.
import Type from 'typebox';
import { statusBase } from './common.ts';

const PeerStatus = Type.Object({
  session: Type.String({ description: 'The BGPSession this peer comes from.' }),
  address: Type.String({ description: 'Neighbour address.' }),
  peerAS: Type.Optional(Type.Integer({ format: 'int64', description: 'Neighbour AS.' })),
  state: Type.String({
    description: 'BGP FSM state: Idle, Connect, Active, OpenSent, OpenConfirm, Established.',
  }),
  establishedSince: Type.Optional(
    Type.String({ format: 'date-time', description: 'When it last became Established.' }),
  ),
  received: Type.Optional(Type.Integer({ description: 'Prefixes received.' })),
  accepted: Type.Optional(Type.Integer({ description: 'Prefixes accepted by import policy.' })),
  advertised: Type.Optional(Type.Integer({ description: 'Prefixes advertised.' })),
  flaps: Type.Optional(Type.Integer({ description: 'Times the session left Established.' })),
  lastError: Type.Optional(Type.String({ description: 'Why the session last went down.' })),
  bfd: Type.Optional(Type.String({ description: 'BFD session state when BFD runs.' })),
});

const Diagnostic = Type.Object({
  kind: Type.String({ description: 'Kind of the object that could not be used.' }),
  name: Type.String({ description: 'Its name.' }),
  reason: Type.String({ description: 'One CamelCase word.' }),
  message: Type.String({ description: 'What is wrong and what to do.' }),
});

const FibStatus = Type.Object({
  state: Type.String({ description: 'Disabled, WaitingForRib, Synced or Failing.' }),
  table: Type.Integer({ format: 'int64', description: 'Kernel table routes are installed in.' }),
  installedIPv4: Type.Integer({ description: 'IPv4 routes installed (protocol 196).' }),
  installedIPv6: Type.Integer({ description: 'IPv6 routes installed (protocol 196).' }),
  learned: Type.Integer({ description: 'Prefixes with a best path in GoBGP.' }),
  skipped: Type.Optional(
    Type.Array(
      Type.Object({
        reason: Type.String({
          description:
            'OwnPrefix, LocallyOriginated, UnresolvedNextHop, RouteLimit, ForeignRoute (another protocol holds the prefix and metric) or KernelError.',
        }),
        count: Type.Integer({ description: 'Prefixes not installed for this reason.' }),
        examples: Type.Array(Type.String(), { description: 'A few of them.' }),
      }),
      { description: 'Learned prefixes not installed, by reason.' },
    ),
  ),
  lastError: Type.Optional(Type.String({ description: 'Why the last sync pass failed.' })),
});

const PoolStatus = Type.Object({
  id: Type.String({ description: 'Pool id (unique on the node).' }),
  name: Type.Optional(Type.String({ description: 'Pool name.' })),
  cidr: Type.String({ description: 'Pool prefix.' }),
  role: Type.String({ description: 'production or walled-garden.' }),
  sharing: Type.String({ description: 'exclusive or shared.' }),
  standby: Type.Optional(Type.Boolean({ description: 'This node is the HA standby for it.' })),
  mode: Type.String({ description: 'Aggregate, HostRoutes or None (not advertised).' }),
  since: Type.Optional(
    Type.String({ format: 'date-time', description: 'When the aggregate started being advertised.' }),
  ),
  routes: Type.Integer({ minimum: 0, description: 'Routes advertised for it.' }),
  advertisements: Type.Optional(
    Type.Array(Type.String(), { description: 'BGPAdvertisements it is advertised by.' }),
  ),
  reason: Type.String({
    description:
      'Advertised, NotSelected, WalledGarden, BNGDown, BNGStarting, NoLeaseSource, SharedPoolAggregate or AggregateConflict.',
  }),
  message: Type.String({ description: 'Why, for a person.' }),
  allocated: Type.Optional(Type.Integer({ description: 'Addresses handed out (from the BNG).' })),
  available: Type.Optional(Type.Integer({ description: 'Addresses free (from the BNG).' })),
});

const BngPoolsStatus = Type.Object({
  source: Type.String({ description: 'Agent, Static or Nexus.' }),
  health: Type.String({ description: 'The local BNG: Starting, Healthy or Down.' }),
  healthError: Type.Optional(Type.String({ description: 'Why the last health poll failed.' })),
  draining: Type.Optional(
    Type.Boolean({ description: 'A planned BNG stop: routes carry GRACEFUL_SHUTDOWN.' }),
  ),
  listError: Type.Optional(Type.String({ description: 'Why the pool or lease list could not be read.' })),
  pools: Type.Array(PoolStatus, { description: 'Every pool the source lists for this node.' }),
  invalid: Type.Optional(
    Type.Array(Type.Object({ id: Type.String(), message: Type.String() }), {
      description: 'Pool entries the source sent that cannot be used.',
    }),
  ),
});

export const BGPNodeStateSpec = Type.Object({
  nodeName: Type.String({ maxLength: 253, description: 'The node this state belongs to.' }),
});

export const BGPNodeStateStatus = Type.Object({
  ...statusBase,
  configuration: Type.Optional(Type.String({ description: 'The BGPConfiguration covering this node.' })),
  asNumber: Type.Optional(Type.Integer({ format: 'int64', description: 'Local AS.' })),
  routerID: Type.Optional(Type.String({ description: 'Router ID in use.' })),
  establishedPeers: Type.Optional(Type.Integer({ minimum: 0, description: 'Peers in Established.' })),
  peers: Type.Optional(Type.Array(PeerStatus, { description: 'Every peer of this node, by address.' })),
  advertisedPrefixes: Type.Optional(
    Type.Array(Type.String(), {
      description: 'Prefixes this node originates (host routes of shared pools are counted in bngPools).',
    }),
  ),
  bngPools: Type.Optional(BngPoolsStatus),
  fib: Type.Optional(FibStatus),
  diagnostics: Type.Optional(
    Type.Array(Diagnostic, { description: 'Objects this node could not use, and why.' }),
  ),
});
