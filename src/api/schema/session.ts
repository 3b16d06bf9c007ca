// BGPSession: one BGP session between two BGPEndpoints. Both ends may be our own nodes; each node
// configures the session from its own side. The settings are shared with the session template of
// BGPPeeringPolicy, so a generated session can say everything a hand-written one can.
import Type from 'typebox';
import {
  AddressFamilies,
  ASNumber,
  cel,
  immutable,
  IPv4Address,
  ObjectName,
  Seconds,
  statusBase,
} from './common.ts';

const SecretKeyRef = Type.Object(
  {
    name: ObjectName({ description: 'Secret name.' }),
    namespace: ObjectName({
      description: 'Secret namespace (the operator reads Secrets only where RBAC lets it).',
    }),
    key: Type.Optional(
      Type.String({ maxLength: 253, default: 'password', description: 'Key of the password in the Secret.' }),
    ),
  },
  { description: 'A key of a Secret.' },
);

/** Every setting of a session except its two ends. */
export const sessionSettings = {
  description: Type.Optional(
    Type.String({ maxLength: 256, description: 'Free text shown in status and logs.' }),
  ),
  holdTime: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 65535,
      default: 90,
      description: 'BGP hold time in seconds: 0 (no keepalives) or at least 3 (RFC 4271).',
      'x-kubernetes-validations': [
        cel('self == 0 || self >= 3', 'must be 0 or at least 3 seconds (RFC 4271)'),
      ],
    }),
  ),
  keepaliveTime: Type.Optional(
    Seconds(0, 21845, {
      description: 'Keepalive interval in seconds; must be less than holdTime (usually a third).',
    }),
  ),
  connectRetryTime: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 65535,
      default: 5,
      description: 'Seconds between connection attempts.',
    }),
  ),
  idleHoldTime: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 65535,
      // No schema default: the apiserver would then write 30 into every session, and every
      // existing peer's content hash (so GoBGP's peer) would change on upgrade.
      description:
        "Seconds a session stays idle after it went down before it may come up again: damps a flapping peer, and is how long a repaired link waits (GoBGP idle-hold-time-after-reset). Unset: GoBGP's 30.",
    }),
  ),
  passive: Type.Optional(
    Type.Boolean({
      default: false,
      description: 'The local end only accepts connections and never opens one.',
    }),
  ),
  localASNumber: Type.Optional(
    ASNumber({
      description: 'Local AS presented on this session instead of the node AS (local-as override).',
    }),
  ),
  addressFamilies: Type.Optional(
    AddressFamilies({
      description:
        'Families negotiated on the session. Default: the family of the session addresses, unicast.',
    }),
  ),
  ebgpConfig: Type.Optional(
    Type.Object(
      {
        multiHop: Type.Optional(
          Type.Object(
            { ttl: Type.Integer({ minimum: 1, maximum: 255, description: 'TTL of outgoing BGP packets.' }) },
            { description: 'eBGP multihop: the peer is not directly connected.' },
          ),
        ),
        ttlSecurity: Type.Optional(
          Type.Object(
            {
              ttl: Type.Integer({
                minimum: 1,
                maximum: 254,
                description: 'Hops to the peer (GTSM, RFC 5082).',
              }),
            },
            { description: 'Generalized TTL security: accept packets only from at most ttl hops away.' },
          ),
        ),
      },
      {
        description: 'eBGP transport options.',
        'x-kubernetes-validations': [
          cel(
            '!(has(self.multiHop) && has(self.ttlSecurity))',
            'multiHop and ttlSecurity are mutually exclusive',
          ),
        ],
      },
    ),
  ),
  routeReflector: Type.Optional(
    Type.Object(
      { clusterID: IPv4Address({ description: 'Route-reflector cluster ID, as a dotted IPv4 address.' }) },
      { description: 'The remote endpoint is a route-reflector client of the local endpoint.' },
    ),
  ),
  password: Type.Optional(
    Type.Object(
      { secretRef: SecretKeyRef },
      { description: 'TCP MD5 password (RFC 2385), read from a Secret and never logged.' },
    ),
  ),
  bfd: Type.Optional(
    Type.Object(
      {
        enabled: Type.Optional(Type.Boolean({ default: true, description: 'Run BFD on the session.' })),
        receiveIntervalMs: Type.Optional(
          Type.Integer({
            minimum: 10,
            maximum: 60000,
            default: 300,
            description: 'Minimum receive interval (ms).',
          }),
        ),
        transmitIntervalMs: Type.Optional(
          Type.Integer({
            minimum: 10,
            maximum: 60000,
            default: 300,
            description: 'Minimum transmit interval (ms).',
          }),
        ),
        detectMultiplier: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: 255,
            default: 3,
            description: 'Missed packets before the session is down.',
          }),
        ),
      },
      { description: 'Bidirectional Forwarding Detection: sub-second failure detection.' },
    ),
  ),
  gracefulRestart: Type.Optional(
    Type.Object(
      {
        enabled: Type.Optional(
          Type.Boolean({ default: true, description: 'Negotiate graceful restart on the session.' }),
        ),
        restartTime: Type.Optional(
          Type.Integer({ minimum: 1, maximum: 4095, description: 'Restart time announced to the peer (s).' }),
        ),
      },
      { description: 'Graceful restart (RFC 4724) for this session, overriding BGPConfiguration.' },
    ),
  ),
  maxPrefixes: Type.Optional(
    Type.Object(
      {
        limit: Type.Integer({
          minimum: 1,
          maximum: 4294967295,
          format: 'int64',
          description: 'Most prefixes accepted.',
        }),
        warningThresholdPercent: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: 100,
            default: 75,
            description: 'Warn at this share of the limit.',
          }),
        ),
      },
      { description: 'Maximum prefixes accepted from the peer; the session is shut down beyond it.' },
    ),
  ),
};

/** Rules that relate several settings, shared with the session template. */
export const sessionSettingsRules = [
  cel(
    '!has(self.keepaliveTime) || !has(self.holdTime) || (self.holdTime == 0 ? self.keepaliveTime == 0 : self.keepaliveTime < self.holdTime)',
    'keepaliveTime must be less than holdTime (and 0 when holdTime is 0)',
    { fieldPath: '.keepaliveTime' },
  ),
];

export const BGPSessionSpec = Type.Object(
  {
    localEndpoint: immutable(
      ObjectName({ description: 'Name of the BGPEndpoint at this end.', example: 'bng1' }),
      'the two ends identify the session; create a new session instead',
    ),
    remoteEndpoint: immutable(
      ObjectName({ description: 'Name of the BGPEndpoint at the other end.', example: 'core-pe1' }),
      'the two ends identify the session; create a new session instead',
    ),
    ...sessionSettings,
  },
  {
    'x-kubernetes-validations': [
      cel('self.localEndpoint != self.remoteEndpoint', 'localEndpoint and remoteEndpoint must differ'),
      ...sessionSettingsRules,
    ],
  },
);

export const BGPSessionStatus = Type.Object({
  ...statusBase,
  sessionState: Type.Optional(
    Type.String({ description: 'Summary FSM state over the nodes that run this session, for printing.' }),
  ),
});
