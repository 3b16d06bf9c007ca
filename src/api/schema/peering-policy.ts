// BGPPeeringPolicy: generates BGPSessions between the endpoints it selects, in one of three shapes:
//   mesh             every selected endpoint with every other (iBGP full mesh);
//   route-reflector  every selected endpoint with every reflector (several allowed), reflectors
//                    with each other, each client session carrying the cluster ID;
//   upstream         every selected endpoint with every endpoint of upstreamConfig.peerSelector
//                    (BNG nodes to core/PE routers).
import Type from 'typebox';
import { cel, IPv4Address, LabelSelector, statusBase, StringMap } from './common.ts';
import { sessionSettings, sessionSettingsRules } from './session.ts';

export const BGPPeeringPolicySpec = Type.Object(
  {
    selector: LabelSelector({ description: 'BGPEndpoints this policy peers.' }),
    mode: Type.Optional(
      Type.Enum(['mesh', 'route-reflector', 'upstream'], {
        default: 'mesh',
        description: 'Shape of the generated sessions.',
      }),
    ),
    routeReflectorConfig: Type.Optional(
      Type.Object(
        {
          reflectorSelector: LabelSelector({ description: 'Which selected endpoints are reflectors.' }),
          clusterID: IPv4Address({ description: 'Route-reflector cluster ID shared by the reflectors.' }),
        },
        { description: 'Settings of mode route-reflector.' },
      ),
    ),
    upstreamConfig: Type.Optional(
      Type.Object(
        {
          peerSelector: LabelSelector({
            description: 'Upstream endpoints every selected endpoint peers with.',
          }),
        },
        { description: 'Settings of mode upstream.' },
      ),
    ),
    sessionTemplate: Type.Optional(
      Type.Object(
        {
          labels: Type.Optional(StringMap({ description: 'Labels put on every generated BGPSession.' })),
          ...sessionSettings,
        },
        {
          description:
            'Settings copied into every generated session (all BGPSession fields but the two ends).',
          'x-kubernetes-validations': sessionSettingsRules,
        },
      ),
    ),
  },
  {
    'x-kubernetes-validations': [
      cel(
        "!has(self.mode) || self.mode != 'route-reflector' || has(self.routeReflectorConfig)",
        'mode route-reflector needs routeReflectorConfig',
        { fieldPath: '.routeReflectorConfig', reason: 'FieldValueRequired' },
      ),
      cel(
        "!has(self.mode) || self.mode != 'upstream' || has(self.upstreamConfig)",
        'mode upstream needs upstreamConfig',
        {
          fieldPath: '.upstreamConfig',
          reason: 'FieldValueRequired',
        },
      ),
      cel(
        "!has(self.routeReflectorConfig) || self.mode == 'route-reflector'",
        'routeReflectorConfig is only for mode route-reflector',
        { fieldPath: '.routeReflectorConfig', reason: 'FieldValueForbidden' },
      ),
      cel(
        "!has(self.upstreamConfig) || self.mode == 'upstream'",
        'upstreamConfig is only for mode upstream',
        {
          fieldPath: '.upstreamConfig',
          reason: 'FieldValueForbidden',
        },
      ),
    ],
  },
);

export const BGPPeeringPolicyStatus = Type.Object({
  ...statusBase,
  matchedEndpoints: Type.Optional(
    Type.Integer({ minimum: 0, description: 'Endpoints the selector matches.' }),
  ),
  activeSessions: Type.Optional(
    Type.Integer({ minimum: 0, description: 'Generated sessions that are Established.' }),
  ),
  generatedSessions: Type.Optional(
    Type.Integer({ minimum: 0, description: 'BGPSessions this policy generated.' }),
  ),
});
