// TypeScript types of the six kinds, derived by the compiler from the same schemas as the CRDs.
import type { Static } from 'typebox';
import type { V1ObjectMeta } from '@kubernetes/client-node';
import type * as advertisement from './schema/advertisement.ts';
import type * as configuration from './schema/configuration.ts';
import type * as endpoint from './schema/endpoint.ts';
import type * as peeringPolicy from './schema/peering-policy.ts';
import type * as routePolicy from './schema/route-policy.ts';
import type * as session from './schema/session.ts';
import type * as nodeState from './schema/node-state.ts';

interface CustomObject<Kind extends string, Spec, Status> {
  apiVersion: 'bgp.bng-edge.io/v1alpha1';
  kind: Kind;
  metadata: V1ObjectMeta;
  spec: Spec;
  status?: Status;
}

export type BGPConfigurationSpec = Static<typeof configuration.BGPConfigurationSpec>;
export type BGPConfigurationStatus = Static<typeof configuration.BGPConfigurationStatus>;
export type BGPConfiguration = CustomObject<'BGPConfiguration', BGPConfigurationSpec, BGPConfigurationStatus>;

export type BGPEndpointSpec = Static<typeof endpoint.BGPEndpointSpec>;
export type BGPEndpointStatus = Static<typeof endpoint.BGPEndpointStatus>;
export type BGPEndpoint = CustomObject<'BGPEndpoint', BGPEndpointSpec, BGPEndpointStatus>;

export type BGPSessionSpec = Static<typeof session.BGPSessionSpec>;
export type BGPSessionStatus = Static<typeof session.BGPSessionStatus>;
export type BGPSession = CustomObject<'BGPSession', BGPSessionSpec, BGPSessionStatus>;

export type BGPPeeringPolicySpec = Static<typeof peeringPolicy.BGPPeeringPolicySpec>;
export type BGPPeeringPolicyStatus = Static<typeof peeringPolicy.BGPPeeringPolicyStatus>;
export type BGPPeeringPolicy = CustomObject<'BGPPeeringPolicy', BGPPeeringPolicySpec, BGPPeeringPolicyStatus>;

export type BGPAdvertisementSpec = Static<typeof advertisement.BGPAdvertisementSpec>;
export type BGPAdvertisementStatus = Static<typeof advertisement.BGPAdvertisementStatus>;
export type BGPAdvertisement = CustomObject<'BGPAdvertisement', BGPAdvertisementSpec, BGPAdvertisementStatus>;

export type BGPRoutePolicySpec = Static<typeof routePolicy.BGPRoutePolicySpec>;
export type BGPRoutePolicyStatus = Static<typeof routePolicy.BGPRoutePolicyStatus>;
export type BGPRoutePolicy = CustomObject<'BGPRoutePolicy', BGPRoutePolicySpec, BGPRoutePolicyStatus>;

export type BGPNodeStateSpec = Static<typeof nodeState.BGPNodeStateSpec>;
export type BGPNodeStateStatus = Static<typeof nodeState.BGPNodeStateStatus>;
export type BGPNodeState = CustomObject<'BGPNodeState', BGPNodeStateSpec, BGPNodeStateStatus>;

export type Condition = NonNullable<BGPSessionStatus['conditions']>[number];
