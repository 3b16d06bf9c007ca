// GoBGP's best-path stream as route sync reads it, against a real gobgpd: the initial dump ends
// with the first message of batch_size paths or fewer (best-watch.ts depends on it), and no dump
// comes before the speaker is started.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { GobgpClient } from '../../src/gobgp/client.ts';
import { buildTopology, waitFor, type Topology } from '../bed/index.ts';

let topo: Topology;
let client: GobgpClient;

before(async () => {
  topo = await buildTopology({ nodes: 1 });
  client = new GobgpClient(topo.node('bng1').gobgpd!.target);
});

after(async () => {
  client?.close();
  await topo?.destroy();
});

/** The sizes of the messages a best-path watch delivers within `ms`. */
async function messageSizes(batchSize: number, ms: number): Promise<number[]> {
  const stream = client.watchBestPaths(batchSize);
  const sizes: number[] = [];
  stream.on('data', (paths: unknown[] | undefined) => sizes.push(paths?.length ?? -1));
  stream.on('error', () => undefined);
  await new Promise((r) => setTimeout(r, ms));
  stream.cancel();
  return sizes;
}

test('no initial dump before StartBgp', async () => {
  assert.deepEqual(await messageSizes(100, 1000), []);
});

test('the initial dump: messages of batch_size+1 paths, then one shorter', async () => {
  await client.startBgp({ asn: 64512, routerId: '10.100.0.11', listenPort: -1 });
  const total = 1050;
  for (let i = 0; i < total; i++)
    await client.addPath({
      family: { afi: 'AFI_IP', safi: 'SAFI_UNICAST' },
      nlri: { prefix: { prefix: `10.${i >> 8}.${i & 255}.0`, prefixLen: 24 } },
      pattrs: [{ origin: { origin: 0 } }, { nextHop: { nextHop: '10.100.0.11' } }],
    });
  await waitFor('gobgpd holds the paths', async () =>
    (await client.getTable('ipv4-unicast')).destinations === total ? true : undefined,
  );
  const sizes = await messageSizes(100, 2000);
  // 1050 = 10 x 101 + 40: the first message of 100 or fewer ends the dump.
  assert.deepEqual(sizes, [...new Array<number>(10).fill(101), 40]);
  // An exact multiple ends with an empty message.
  assert.deepEqual((await messageSizes(104, 2000)).slice(-2), [105, 0]);
});
