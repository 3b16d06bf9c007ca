// BIRD has no JSON output, so the bed parses its text; these pin the parser to real BIRD 2 output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { birdConfig, parseBirdProtocols, parseBirdRoutes } from './bird.ts';

const routesText = `BIRD 2.0.12 ready.
Table master4:
198.51.100.0/24      unicast [n_10_100_0_11 21:36:55.728] * (100) [AS65000i]
\tvia 10.100.0.11 on lan0
\tType: BGP univ
\tBGP.origin: IGP
\tBGP.as_path: 64512 65000
\tBGP.next_hop: 10.100.0.11
\tBGP.local_pref: 100
\tBGP.community: (65000,1) (65000,2)
\tBGP.large_community: (64512, 1, 2)
                     unicast [n_10_100_0_12 21:36:56.000] (100) [AS65000i]
\tvia 10.100.0.12 on lan0
\tType: BGP univ
\tBGP.as_path: 64513 65000
\tBGP.med: 50
203.0.113.0/24       blackhole [static4 21:36:48.463] * (200)
\tType: static univ
`;

test('parseBirdRoutes describes each prefix by its primary route only', () => {
  assert.deepEqual(parseBirdRoutes(routesText), [
    {
      prefix: '198.51.100.0/24',
      nextHops: ['10.100.0.11'],
      asPath: [64512, 65000],
      communities: ['65000:1', '65000:2'],
      largeCommunities: ['64512:1:2'],
      localPref: 100,
    },
    { prefix: '203.0.113.0/24', nextHops: [], asPath: [], communities: [], largeCommunities: [] },
  ]);
});

test('parseBirdProtocols maps BGP protocol rows back to neighbour addresses', () => {
  const text = `BIRD 2.0.12 ready.
Name       Proto      Table      State  Since         Info
device1    Device     ---        up     21:35:05.958
n_10_100_0_11 BGP        ---        up     21:35:16.584  Established
n_fd00_100__11 BGP        ---        start  21:35:05.958  Active        Socket: Connection reset by peer
`;
  const states = parseBirdProtocols(text, [
    { address: '10.100.0.11', asn: 64512 },
    { address: 'fd00:100::11', asn: 64512 },
  ]);
  assert.deepEqual(
    [...states],
    [
      ['10.100.0.11', 'Established'],
      ['fd00:100::11', 'Active'],
    ],
  );
});

test('birdConfig gives each neighbour its own protocol on the matching address family', () => {
  const conf = birdConfig({
    asn: 65010,
    routerId: '10.100.0.2',
    lan: { ipv4: '10.100.0.2', ipv6: 'fd00:100::2' },
    neighbors: [{ address: 'fd00:100::11', asn: 64512, password: 's3cret' }],
    originate: ['2001:db8:200::/48'],
  });
  assert.match(
    conf,
    /protocol bgp n_fd00_100__11 \{\n {2}local fd00:100::2 as 65010;\n {2}neighbor fd00:100::11 as 64512;/,
  );
  assert.match(conf, /password "s3cret";/);
  assert.match(conf, /ipv6 \{ import all; export where source = RTS_STATIC; next hop self; \};/);
  assert.match(conf, /protocol static static6 \{\n {2}ipv6;\n {2}route 2001:db8:200::\/48 blackhole;/);
  assert.doesNotMatch(conf, /static4/);
});
