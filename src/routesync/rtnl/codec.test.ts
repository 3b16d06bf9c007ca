import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAddress, parseAddress, parsePrefix } from './addr.ts';
import { decodeRoute, encodeRoute, maxRouteMessageSize, splitMessages } from './codec.ts';

test('addresses round-trip to canonical text (RFC 5952 for IPv6)', () => {
  const canon = (t: string) => formatAddress(parseAddress(t) ?? new Uint8Array());
  assert.equal(canon('10.1.2.3'), '10.1.2.3');
  assert.equal(canon('FD00:100:0:0:0:0:0:1'), 'fd00:100::1');
  assert.equal(canon('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
  assert.equal(canon('::'), '::');
  assert.equal(canon('::ffff:192.0.2.1'), '::ffff:c000:201');
  assert.equal(canon('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2:3:4:5:6');
  for (const bad of ['1.2.3', '256.1.1.1', '1::2::3', 'fd00::g', '1:2:3:4:5:6:7:8:9'])
    assert.equal(parseAddress(bad), undefined, bad);
});

test('prefixes are canonical with host bits cleared', () => {
  assert.equal(parsePrefix('10.1.2.3/24')?.key, '10.1.2.0/24');
  assert.equal(parsePrefix('2001:DB8::1/32')?.key, '2001:db8::/32');
  assert.equal(parsePrefix('0.0.0.0/0')?.key, '0.0.0.0/0');
  assert.equal(parsePrefix('10.0.0.0/33'), undefined);
});

test('route messages decode to what was encoded: single path, ECMP, IPv6, large table ids', () => {
  const cases = [
    { prefix: '198.51.100.0/24', nextHops: ['10.100.0.1'], table: 254, metric: 20 },
    { prefix: '198.51.101.0/24', nextHops: ['10.100.0.1', '10.100.0.2'], table: 1000, metric: 0 },
    { prefix: '2001:db8:1::/48', nextHops: ['fd00:100::1', 'fd00:100::2'], table: 254, metric: 1024 },
  ];
  for (const c of cases) {
    const buf = Buffer.alloc(maxRouteMessageSize(c.nextHops.length));
    const end = encodeRoute(buf, 0, 'add', { ...c, protocol: 196 }, 7, true);
    const [m] = [...splitMessages(buf.subarray(0, end))];
    assert.equal(m?.seq, 7);
    const r = decodeRoute(m?.payload ?? Buffer.alloc(0));
    assert.deepEqual(
      { prefix: r.prefix, nextHops: r.nextHops, table: r.table, metric: r.metric, protocol: r.protocol },
      { ...c, protocol: 196 },
    );
  }
});
