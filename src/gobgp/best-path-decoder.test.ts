import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSync } from '@grpc/proto-loader';
import { decodeBestPathEvent } from './best-path-decoder.ts';
import { GOBGP_LOADER_OPTIONS, GOBGP_PROTO_FILE } from './proto-options.ts';

const watch = (
  loadSync(GOBGP_PROTO_FILE, GOBGP_LOADER_OPTIONS)['api.GoBgpService'] as Record<
    string,
    { responseSerialize: (v: object) => Buffer; responseDeserialize: (b: Buffer) => unknown }
  >
).WatchEvent!;

const v4 = {
  nlri: { prefix: { prefix: '198.51.100.0', prefixLen: 24 } },
  pattrs: [
    { origin: { origin: 0 } },
    { asPath: { segments: [{ type: 'TYPE_AS_SEQUENCE', numbers: [65000, 65001] }] } },
    { nextHop: { nextHop: '10.100.0.1' } },
    { communities: { communities: [1, 2, 3] } },
  ],
  neighborIp: '10.100.0.1',
  identifier: 7,
  age: { seconds: 1700000000 },
};
const v6Withdraw = {
  nlri: { prefix: { prefix: '2001:db8::', prefixLen: 32 } },
  pattrs: [
    {
      mpReach: {
        family: { afi: 'AFI_IP6', safi: 'SAFI_UNICAST' },
        nextHops: ['fd00:100::1', 'fe80::1'],
        nlris: [{ prefix: { prefix: '2001:db8::', prefixLen: 32 } }],
      },
    },
  ],
  isWithdraw: true,
  neighborIp: 'fd00:100::1',
};

test('the lean decoder reads what the full decoder reads, from the same bytes', () => {
  const bytes = watch.responseSerialize({ table: { paths: [v4, v6Withdraw, { pattrs: [] }] } });
  const full = watch.responseDeserialize(bytes) as {
    table: {
      paths: {
        nlri?: { prefix?: { prefix: string; prefixLen: number } };
        isWithdraw: boolean;
        neighborIp: string;
        identifier: number;
      }[];
    };
  };
  const lean = decodeBestPathEvent(bytes);
  assert.deepEqual(
    lean,
    full.table.paths.map((p, i) => ({
      prefix: p.nlri?.prefix?.prefix ?? '',
      prefixLength: p.nlri?.prefix?.prefixLen ?? 0,
      nextHop: ['10.100.0.1', 'fd00:100::1', ''][i],
      withdraw: p.isWithdraw,
      neighborIp: p.neighborIp,
      identifier: p.identifier,
    })),
  );
});

test('a peer event is not a table event', () => {
  const bytes = watch.responseSerialize({
    peer: { type: 'TYPE_STATE', peer: { conf: { neighborAddress: '10.100.0.1' } } },
  });
  assert.equal(decodeBestPathEvent(bytes), undefined);
});
