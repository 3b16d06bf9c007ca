// BGPEndpoint: a BGP speaker, either one of our nodes (nodeName set) or an external router.
import Type from 'typebox';
import {
  AddressFamilies,
  ASNumber,
  cel,
  immutable,
  IPAddress,
  ObjectName,
  Port,
  statusBase,
} from './common.ts';

export const BGPEndpointSpec = Type.Object(
  {
    address: IPAddress({ description: 'Address the session is made with.', example: '10.100.0.1' }),
    asNumber: ASNumber({ description: 'AS of this speaker.', example: 65000 }),
    port: Type.Optional(Port({ default: 179, description: 'TCP port the speaker listens on.' })),
    addressFamilies: Type.Optional(
      AddressFamilies({
        description: 'Families this speaker supports. Default: the family of address, unicast.',
      }),
    ),
    nodeName: Type.Optional(
      immutable(
        ObjectName({
          description: 'The Kubernetes Node this endpoint is, when it is one of ours.',
          example: 'bng1',
        }),
        'an endpoint is one node for its whole life; create a new endpoint for another node',
      ),
    ),
    description: Type.Optional(
      Type.String({ maxLength: 256, description: 'Free text, for example the site.' }),
    ),
  },
  {
    'x-kubernetes-validations': [
      cel(
        'has(self.nodeName) == has(oldSelf.nodeName)',
        'nodeName cannot be added or removed after creation',
      ),
    ],
  },
);

export const BGPEndpointStatus = Type.Object({
  ...statusBase,
});
