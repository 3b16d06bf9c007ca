// The README's first command runs this lab: it must come up whole — the operator's agents, in
// their node namespaces, peer every node with both cores and with each other, report it in
// Kubernetes status, and the advertised aggregate reaches FRR and BIRD.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

test('the lab comes up converged through the operator and tears itself down (--once)', async () => {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [main, '--once'], { timeout: 300_000 });
  assert.match(stdout, /converged: yes/);
  // The nodes' endpoints come from nodeEndpoint.create: the site lists none of them.
  assert.match(stdout, /bgpendpoint\.bgp\.bng-edge\.io\/bng1\s+10\.100\.0\.11\s+64512\s+bng1\s+True/);
  for (const node of ['bng1', 'bng2', 'bng3']) {
    assert.match(
      stdout,
      new RegExp(
        `bgpnodestate\\.bgp\\.bng-edge\\.io/${node}\\s+10\\.100\\.0\\.1\\d\\s+64512\\s+4\\s+Healthy\\s+True`,
      ),
    );
  }
  // The status table: bng1's pool advertised as an aggregate, bng3 its standby.
  assert.match(stdout, /^bng1\s+res-1\s+100\.64\.1\.0\/24\s+Aggregate\s+1\s+Advertised$/m);
  assert.match(stdout, /^bng3\s+res-1\s+100\.64\.1\.0\/24\s+Aggregate \(standby\)\s+1\s+Advertised$/m);
  assert.match(stdout, /core1 \(frr, AS 65000\): 3\/3 neighbours Established/);
  assert.match(stdout, /core2 \(bird, AS 65010\): 3\/3 neighbours Established/);
  assert.match(stdout, /100\.64\.0\.0\/22 via 10\.100\.0\.11/);
  // The test BNG agents' pools: bng1's aggregate (bng3 is its standby), bng2's, and host routes.
  for (const route of [
    '100.64.1.0/24 via 10.100.0.11',
    '100.64.2.0/24 via 10.100.0.12',
    '100.80.0.12/32 via 10.100.0.12',
  ])
    assert.match(stdout, new RegExp(route.replaceAll('.', '\\.')));
  // The export policy keeps the BNGs from being transit: core1 never learns core2's prefix.
  assert.doesNotMatch(stdout, /core1 \(frr[^\n]*\n[^\n]*198\.51\.101\.0\/24/);
});
