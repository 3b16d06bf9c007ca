// The unit conversions GoBGP's API needs and nothing else would catch until a session misbehaves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { peerDescription, toApiDefinedSet, toApiPeer } from './convert.ts';
import type { DesiredGlobal, DesiredPeer } from '../compile/model.ts';

const global: DesiredGlobal = {
  configuration: 'site',
  asn: 64512,
  routerId: '10.0.0.1',
  listenPort: 179,
  maxPaths: 8,
  gracefulRestart: { enabled: true, restartTime: 120, deferralTime: 30 },
};
const peer: DesiredPeer = {
  session: 's1',
  address: '10.0.0.2',
  peerAsn: 65000,
  localAddress: '10.0.0.1',
  remotePort: 179,
  passive: false,
  holdTime: 9,
  keepaliveTime: 3,
  connectRetryTime: 1,
  families: ['ipv4-unicast', 'ipv6-unicast'],
  ttlSecurityHops: 1,
  bfd: { receiveIntervalMs: 300, transmitIntervalMs: 150, detectMultiplier: 3 },
  gracefulRestart: { restartTime: 90 },
  password: 'secret',
};

test('toApiPeer converts to GoBGP units: minimum TTL, BFD microseconds, GR per family', () => {
  const api = toApiPeer(peer, global);
  assert.deepEqual(api.ttlSecurity, { enabled: true, ttlMin: 255 });
  assert.equal(api.bfd?.requiredMinimumReceive, 300_000);
  assert.equal(api.bfd?.desiredMinimumTxInterval, 150_000);
  assert.equal(api.gracefulRestart?.deferralTime, 30);
  assert.deepEqual(
    api.afiSafis?.map((a) => a.mpGracefulRestart?.config?.enabled),
    [true, true],
  );
});

test('the peer description fingerprint changes with any setting, the password included', () => {
  const base = peerDescription(peer, global);
  assert.match(base, /^bng-bgp [0-9a-f]{16} s1$/);
  assert.notEqual(peerDescription({ ...peer, password: 'other' }, global), base);
  assert.notEqual(peerDescription({ ...peer, holdTime: 30 }, global), base);
  assert.equal(peerDescription({ ...peer }, global), base);
  assert.ok(!base.includes('secret'), 'the password never shows');
});

test('neighbour sets hold host prefixes', () => {
  const set = toApiDefinedSet({ name: 'n', type: 'neighbor', list: ['10.0.0.2', 'fd00::2'], prefixes: [] });
  assert.deepEqual(set.list, ['10.0.0.2/32', 'fd00::2/128']);
});
