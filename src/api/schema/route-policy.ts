// BGPRoutePolicy: an ordered import or export policy for the selected sessions. Statements are
// tried in order; the first whose conditions all match applies its actions, and Continue goes on
// to the next statement. Routes no statement decides get defaultAction (never an implicit accept
// in the middle of the chain).
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

const PrefixMatch = Type.Object(
  {
    cidr: Prefix({ description: 'Prefix to match.' }),
    maskLengthMin: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 128, description: 'Shortest length matched (ge).' }),
    ),
    maskLengthMax: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 128, description: 'Longest length matched (le).' }),
    ),
  },
  {
    description: 'A prefix and the range of lengths within it that match.',
    'x-kubernetes-validations': [
      cel(
        '!has(self.maskLengthMin) || !isCIDR(self.cidr) || self.maskLengthMin >= cidr(self.cidr).prefixLength()',
        'maskLengthMin (ge) must be at least the prefix length of cidr',
        { fieldPath: '.maskLengthMin' },
      ),
      cel(
        '!has(self.maskLengthMax) || !isCIDR(self.cidr) || self.maskLengthMax <= (cidr(self.cidr).ip().family() == 4 ? 32 : 128)',
        'maskLengthMax (le) must be at most 32 for IPv4 and 128 for IPv6',
        { fieldPath: '.maskLengthMax' },
      ),
      cel(
        '!has(self.maskLengthMin) || !has(self.maskLengthMax) || self.maskLengthMin <= self.maskLengthMax',
        'maskLengthMin (ge) must not exceed maskLengthMax (le)',
        { fieldPath: '.maskLengthMin' },
      ),
    ],
  },
);

const Statement = Type.Object(
  {
    name: Type.Optional(
      Type.String({
        maxLength: 63,
        pattern: '^[a-zA-Z0-9][-a-zA-Z0-9_]*$',
        description: 'Name, for status and logs.',
      }),
    ),
    prefixSet: Type.Optional(
      Type.Array(PrefixMatch, { maxItems: 512, description: 'Match routes within any of these prefixes.' }),
    ),
    communities: Type.Optional(
      Communities({ description: 'Match routes carrying any of these communities.' }),
    ),
    largeCommunities: Type.Optional(
      LargeCommunities({ description: 'Match routes carrying any of these large communities.' }),
    ),
    asPath: Type.Optional(
      Type.Object(
        {
          regex: Type.Optional(
            Type.String({
              maxLength: 256,
              description: 'GoBGP AS-path regular expression, for example _65000$ or ^65001_.',
            }),
          ),
          originASNumber: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 4294967295,
              format: 'int64',
              description: 'Match routes originated by this AS.',
            }),
          ),
          maxLength: Type.Optional(
            Type.Integer({ minimum: 0, maximum: 255, description: 'Match AS paths at most this long.' }),
          ),
        },
        { description: 'AS-path conditions (all given must hold).' },
      ),
    ),
    action: Type.Enum(['Accept', 'Reject', 'Continue'], {
      description: 'Accept or Reject ends evaluation; Continue applies the set actions and goes on.',
    }),
    setLocalPref: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 4294967295, format: 'int64', description: 'Set LOCAL_PREF.' }),
    ),
    setMED: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 4294967295, format: 'int64', description: 'Set MED.' }),
    ),
    addCommunities: Type.Optional(Communities({ description: 'Communities to add.' })),
    removeCommunities: Type.Optional(Communities({ description: 'Communities to remove.' })),
    addLargeCommunities: Type.Optional(LargeCommunities({ description: 'Large communities to add.' })),
    asPathPrepend: Type.Optional(AsPathPrepend('AS-path prepending.')),
  },
  {
    description: 'Conditions (all must hold; none: every route) and the actions taken on a match.',
    'x-kubernetes-validations': [
      cel(
        "self.action != 'Reject' || !(has(self.setLocalPref) || has(self.setMED) || has(self.addCommunities) || has(self.removeCommunities) || has(self.addLargeCommunities) || has(self.asPathPrepend))",
        'a Reject statement cannot also set attributes',
        { reason: 'FieldValueForbidden' },
      ),
    ],
  },
);

export const BGPRoutePolicySpec = Type.Object(
  {
    type: Type.Enum(['Import', 'Export'], { description: 'Import: routes learned; Export: routes sent.' }),
    peerSelector: Type.Optional(
      LabelSelector({
        description: 'BGPSessions (by their labels) the policy applies to; empty: every session.',
      }),
    ),
    statements: Type.Array(Statement, {
      minItems: 1,
      // Bounded so the CEL checks of every prefix fit the apiserver's cost budget (64 x 512 entries).
      maxItems: 64,
      description: 'Ordered statements; first match wins.',
    }),
    defaultAction: Type.Optional(
      Type.Enum(['Accept', 'Reject'], {
        default: 'Accept',
        description: 'What happens to routes no statement decides.',
      }),
    ),
  },
  {
    'x-kubernetes-validations': [
      cel(
        'self.statements.all(s, !has(s.name) || self.statements.exists_one(t, has(t.name) && t.name == s.name))',
        // No FieldValueDuplicate reason: with it the apiserver prints "Duplicate value" and drops this message.
        'statement names must be unique',
        { fieldPath: '.statements' },
      ),
    ],
  },
);

export const BGPRoutePolicyStatus = Type.Object({
  ...statusBase,
  matchedSessions: Type.Optional(
    Type.Integer({ minimum: 0, description: 'Sessions the policy applies to.' }),
  ),
});
