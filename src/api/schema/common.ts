// Schema building blocks shared by the kinds. Each one carries its own admission checks (OpenAPI
// bounds plus CEL rules with messages a network engineer can act on), so a field is validated the
// same way wherever it appears.
import Type, { type TSchema } from 'typebox';

/** A CEL validation rule as the CRD's x-kubernetes-validations carries it. */
export interface CelRule {
  rule: string;
  message: string;
  fieldPath?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
}

export function cel(rule: string, message: string, extra: Omit<CelRule, 'rule' | 'message'> = {}): CelRule {
  return { rule, message, ...extra };
}

/** Schema options with a required description; `example` goes to docs/api.md only. */
export type Doc = { description: string; example?: unknown } & Record<string, unknown>;

export const ASNumber = (doc: Doc) =>
  Type.Integer({ minimum: 1, maximum: 4294967295, format: 'int64', ...doc });

export const Port = (doc: Doc) => Type.Integer({ minimum: 1, maximum: 65535, ...doc });

export const Seconds = (min: number, max: number, doc: Doc) =>
  Type.Integer({ minimum: min, maximum: max, ...doc });

export const IPv4Address = (doc: Doc) =>
  Type.String({
    maxLength: 15,
    'x-kubernetes-validations': [
      cel('isIP(self) && ip(self).family() == 4', 'must be a dotted IPv4 address such as 192.0.2.1'),
    ],
    ...doc,
  });

export const IPAddress = (doc: Doc) =>
  Type.String({
    maxLength: 45,
    'x-kubernetes-validations': [
      cel('isIP(self)', 'must be an IPv4 or IPv6 address such as 192.0.2.1 or 2001:db8::1'),
    ],
    ...doc,
  });

/** A network prefix: valid CIDR with no host bits set. */
export const Prefix = (doc: Doc) =>
  Type.String({
    maxLength: 49,
    'x-kubernetes-validations': [
      cel(
        'isCIDR(self) && cidr(self) == cidr(self).masked()',
        'must be a network prefix such as 10.0.0.0/24 or 2001:db8::/48, with no host bits set',
      ),
    ],
    ...doc,
  });

/** A Kubernetes object name (DNS subdomain). */
export const ObjectName = (doc: Doc) =>
  Type.String({ minLength: 1, maxLength: 253, pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', ...doc });

export const WELL_KNOWN_COMMUNITIES = [
  'no-export',
  'no-advertise',
  'no-export-subconfed',
  'no-peer',
  'blackhole',
  'graceful-shutdown',
  'accept-own',
  'llgr-stale',
  'no-llgr',
] as const;

export const Community = (doc: Doc) =>
  Type.String({
    maxLength: 32,
    'x-kubernetes-validations': [
      cel(
        `self in [${WELL_KNOWN_COMMUNITIES.map((c) => `'${c}'`).join(', ')}] || (self.matches('^[0-9]{1,5}:[0-9]{1,5}$') && self.split(':').all(x, int(x) <= 65535))`,
        `must be a standard community ASN:VALUE with both parts 0-65535 (such as 65000:100), or one of ${WELL_KNOWN_COMMUNITIES.join(', ')}`,
      ),
    ],
    ...doc,
  });

export const LargeCommunity = (doc: Doc) =>
  Type.String({
    maxLength: 32,
    'x-kubernetes-validations': [
      cel(
        "self.matches('^[0-9]{1,10}:[0-9]{1,10}:[0-9]{1,10}$') && self.split(':').all(x, int(x) <= 4294967295)",
        'must be a large community GLOBAL:LOCAL1:LOCAL2 with each part 0-4294967295 (such as 64512:1:100)',
      ),
    ],
    ...doc,
  });

export const Communities = (doc: Doc) =>
  Type.Array(Community({ description: 'A standard community.' }), { maxItems: 32, ...doc });

export const LargeCommunities = (doc: Doc) =>
  Type.Array(LargeCommunity({ description: 'A large community.' }), { maxItems: 32, ...doc });

/** A string-to-string map (labels). */
export const StringMap = (doc: Doc) =>
  Type.Unsafe<Record<string, string>>({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: 63 },
    maxProperties: 32,
    ...doc,
  });

/** metav1.LabelSelector, with the operator/values rules the apiserver applies to built-in kinds. */
export const LabelSelector = (doc: Doc) =>
  Type.Object(
    {
      matchLabels: Type.Optional(StringMap({ description: 'Labels that must all match exactly.' })),
      matchExpressions: Type.Optional(
        Type.Array(
          Type.Object(
            {
              key: Type.String({ minLength: 1, maxLength: 317, description: 'Label key.' }),
              operator: Type.Enum(['In', 'NotIn', 'Exists', 'DoesNotExist'], {
                description: 'How values relate to the label.',
              }),
              values: Type.Optional(
                Type.Array(Type.String({ maxLength: 63 }), {
                  maxItems: 64,
                  description: 'Values for In and NotIn.',
                }),
              ),
            },
            {
              'x-kubernetes-validations': [
                cel(
                  "self.operator in ['In', 'NotIn'] ? has(self.values) && size(self.values) > 0 : !has(self.values) || size(self.values) == 0",
                  'values must be non-empty for In and NotIn, and empty for Exists and DoesNotExist',
                ),
              ],
            },
          ),
          { maxItems: 16, description: 'Label requirements that must all hold.' },
        ),
      ),
    },
    doc,
  );

export const AddressFamily = Type.Object(
  {
    afi: Type.Enum(['IPv4', 'IPv6'], { description: 'Address family: IPv4 or IPv6.' }),
    safi: Type.Optional(
      Type.Enum(['Unicast', 'Multicast'], { default: 'Unicast', description: 'Subsequent address family.' }),
    ),
  },
  { description: 'An address family (AFI/SAFI) carried by the session.' },
);

export const AddressFamilies = (doc: Doc) =>
  Type.Array(AddressFamily, {
    maxItems: 4,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['afi', 'safi'],
    ...doc,
  });

/** metav1.Condition. */
export const Condition = Type.Object({
  type: Type.String({ maxLength: 316, description: 'Condition type, for example Ready.' }),
  status: Type.Enum(['True', 'False', 'Unknown'], { description: 'Status of the condition.' }),
  observedGeneration: Type.Optional(
    Type.Integer({
      minimum: 0,
      format: 'int64',
      description: 'Generation of the spec the condition describes.',
    }),
  ),
  lastTransitionTime: Type.String({ format: 'date-time', description: 'When the status last changed.' }),
  reason: Type.String({ maxLength: 1024, description: 'One CamelCase word a program can match on.' }),
  message: Type.String({ maxLength: 32768, description: 'What happened and what to do, for a person.' }),
});

export const Conditions = Type.Array(Condition, {
  maxItems: 16,
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['type'],
  description: 'Conditions, each with observedGeneration: Ready and the kind-specific types.',
});

/** The status fields every kind has; each kind adds its counts. */
export const statusBase = {
  conditions: Type.Optional(Conditions),
  observedGeneration: Type.Optional(
    Type.Integer({ format: 'int64', description: 'Last generation acted on.' }),
  ),
};

/** AS-path prepending: `count` times `asNumber` (default: the node's own AS). */
export const AsPathPrepend = (description: string) =>
  Type.Object(
    {
      count: Type.Integer({ minimum: 1, maximum: 16, description: 'Times the AS is prepended.' }),
      asNumber: Type.Optional(ASNumber({ description: 'AS to prepend; default: own.' })),
    },
    { description },
  );

/** Marks a field that cannot change after creation, with the reason in the message. */
export function immutable<T extends TSchema>(schema: T, why: string): T {
  const rules = (
    (schema as { 'x-kubernetes-validations'?: CelRule[] })['x-kubernetes-validations'] ?? []
  ).slice();
  rules.push(cel('self == oldSelf', `is immutable: ${why}`));
  return { ...schema, 'x-kubernetes-validations': rules };
}
