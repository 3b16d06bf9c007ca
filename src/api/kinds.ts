// The six kinds of bgp.bng-edge.io/v1alpha1: names, printer columns and schemas. This table and
// the schemas it points to are the one source of the CRDs (crds/), the TypeScript types (types.ts)
// and the field reference (docs/api.md).
import type { TSchema } from 'typebox';
import { BGPAdvertisementSpec, BGPAdvertisementStatus } from './schema/advertisement.ts';
import { BGPConfigurationSpec, BGPConfigurationStatus } from './schema/configuration.ts';
import { BGPEndpointSpec, BGPEndpointStatus } from './schema/endpoint.ts';
import { BGPPeeringPolicySpec, BGPPeeringPolicyStatus } from './schema/peering-policy.ts';
import { BGPRoutePolicySpec, BGPRoutePolicyStatus } from './schema/route-policy.ts';
import { BGPSessionSpec, BGPSessionStatus } from './schema/session.ts';
import { BGPNodeStateSpec, BGPNodeStateStatus } from './schema/node-state.ts';

export const API_GROUP = 'bgp.bng-edge.io';
export const API_VERSION = 'v1alpha1';
export const CATEGORY = 'bgp';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  priority?: number;
}

export interface KindDefinition {
  kind: string;
  plural: string;
  shortName: string;
  description: string;
  spec: TSchema;
  status: TSchema;
  columns: PrinterColumn[];
  /** Written by the operator itself, never by users (no sample, not in the bad-input table). */
  operatorOwned?: boolean;
}

const ready: PrinterColumn = {
  name: 'Ready',
  type: 'string',
  jsonPath: '.status.conditions[?(@.type=="Ready")].status',
};
const reason: PrinterColumn = {
  name: 'Reason',
  type: 'string',
  jsonPath: '.status.conditions[?(@.type=="Ready")].reason',
  priority: 1,
};
const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

export const KINDS: KindDefinition[] = [
  {
    kind: 'BGPConfiguration',
    plural: 'bgpconfigurations',
    shortName: 'bgpconfig',
    description:
      'The BGP speaker of a set of nodes: AS, router ID, graceful restart, ECMP, FIB, BNG pool source.',
    spec: BGPConfigurationSpec,
    status: BGPConfigurationStatus,
    columns: [
      { name: 'AS', type: 'integer', jsonPath: '.spec.asNumber' },
      { name: 'Port', type: 'integer', jsonPath: '.spec.listenPort' },
      { name: 'Nodes', type: 'integer', jsonPath: '.status.matchedNodes' },
      {
        name: 'Speakers',
        type: 'integer',
        jsonPath: '.status.readyNodes',
        description: 'Nodes whose speaker is ready',
      },
      { name: 'Pools', type: 'string', jsonPath: '.spec.bngPools.source' },
      ready,
      reason,
      age,
    ],
  },
  {
    kind: 'BGPEndpoint',
    plural: 'bgpendpoints',
    shortName: 'bgpep',
    description: 'A BGP speaker: one of our nodes (nodeName) or an external router.',
    spec: BGPEndpointSpec,
    status: BGPEndpointStatus,
    columns: [
      { name: 'Address', type: 'string', jsonPath: '.spec.address' },
      { name: 'AS', type: 'integer', jsonPath: '.spec.asNumber' },
      { name: 'Node', type: 'string', jsonPath: '.spec.nodeName' },
      ready,
      age,
    ],
  },
  {
    kind: 'BGPSession',
    plural: 'bgpsessions',
    shortName: 'bgpsess',
    description: 'A BGP session between two endpoints, configured by each node that is one of its ends.',
    spec: BGPSessionSpec,
    status: BGPSessionStatus,
    columns: [
      { name: 'Local', type: 'string', jsonPath: '.spec.localEndpoint' },
      { name: 'Remote', type: 'string', jsonPath: '.spec.remoteEndpoint' },
      { name: 'State', type: 'string', jsonPath: '.status.sessionState' },
      {
        name: 'Established',
        type: 'string',
        jsonPath: '.status.conditions[?(@.type=="SessionEstablished")].status',
      },
      { name: 'BFD', type: 'boolean', jsonPath: '.spec.bfd.enabled', priority: 1 },
      ready,
      reason,
      age,
    ],
  },
  {
    kind: 'BGPPeeringPolicy',
    plural: 'bgppeeringpolicies',
    shortName: 'bgppp',
    description: 'Generates BGPSessions: full mesh, route reflectors, or upstream to core routers.',
    spec: BGPPeeringPolicySpec,
    status: BGPPeeringPolicyStatus,
    columns: [
      { name: 'Mode', type: 'string', jsonPath: '.spec.mode' },
      { name: 'Endpoints', type: 'integer', jsonPath: '.status.matchedEndpoints' },
      { name: 'Sessions', type: 'integer', jsonPath: '.status.generatedSessions' },
      { name: 'Active', type: 'integer', jsonPath: '.status.activeSessions' },
      ready,
      reason,
      age,
    ],
  },
  {
    kind: 'BGPAdvertisement',
    plural: 'bgpadvertisements',
    shortName: 'bgpadvert',
    description: 'Prefixes and BNG pools the selected nodes announce, with their attributes.',
    spec: BGPAdvertisementSpec,
    status: BGPAdvertisementStatus,
    columns: [
      { name: 'Prefixes', type: 'string', jsonPath: '.spec.prefixes' },
      { name: 'Pools', type: 'string', jsonPath: '.spec.pools.mode' },
      { name: 'Advertised', type: 'integer', jsonPath: '.status.advertisedPrefixCount' },
      { name: 'Communities', type: 'string', jsonPath: '.spec.communities', priority: 1 },
      ready,
      reason,
      age,
    ],
  },
  {
    kind: 'BGPRoutePolicy',
    plural: 'bgproutepolicies',
    shortName: 'bgprp',
    description: 'An ordered import or export policy for the selected sessions.',
    spec: BGPRoutePolicySpec,
    status: BGPRoutePolicyStatus,
    columns: [
      { name: 'Type', type: 'string', jsonPath: '.spec.type' },
      { name: 'Default', type: 'string', jsonPath: '.spec.defaultAction' },
      { name: 'Sessions', type: 'integer', jsonPath: '.status.matchedSessions' },
      ready,
      reason,
      age,
    ],
  },
  {
    kind: 'BGPNodeState',
    plural: 'bgpnodestates',
    shortName: 'bgpnode',
    description:
      'Per-node BGP state, written by that node only: speaker, peers, advertised prefixes, diagnostics.',
    spec: BGPNodeStateSpec,
    status: BGPNodeStateStatus,
    operatorOwned: true,
    columns: [
      { name: 'Router ID', type: 'string', jsonPath: '.status.routerID' },
      { name: 'AS', type: 'integer', jsonPath: '.status.asNumber' },
      { name: 'Established', type: 'integer', jsonPath: '.status.establishedPeers' },
      { name: 'BNG', type: 'string', jsonPath: '.status.bngPools.health' },
      { name: 'Config', type: 'string', jsonPath: '.status.configuration', priority: 1 },
      ready,
      reason,
      age,
    ],
  },
];
