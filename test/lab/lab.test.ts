// The README's first command runs this lab: it must come up whole — every node namespace reaches
// the kube-apiserver, every node peers with both core routers over IPv4 and IPv6, and routes flow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

test('the lab comes up, peers every session and tears itself down (--once)', async () => {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [main, '--once'], { timeout: 300_000 });
  assert.match(stdout, /sessions Established: 12\/12/);
  for (const node of ['bng1', 'bng2', 'bng3']) {
    assert.match(stdout, new RegExp(`${node} reaches kube-apiserver: ok`));
    assert.match(stdout, new RegExp(`${node} RIB: .*198\\.51\\.100\\.0/24.*`));
    assert.match(stdout, new RegExp(`${node} RIB: .*2001:db8:200::/48`));
  }
});
