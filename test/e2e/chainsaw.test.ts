// The Chainsaw suite (e2e/) on the bench: three BNG nodes (gobgpd + agent + a test BNG agent serving
// pools) and two FRR cores, a base site applied here, then `chainsaw test e2e/` with the admin
// kubeconfig and an environment that tells its scripts where the routers and nodes are.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOperatorBed, tools, type OperatorBed } from '../bed/index.ts';
import { coreEndpoints } from '../bed/operator.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
let bed: OperatorBed;

const BASE = `
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPConfiguration
metadata: { name: e2e }
spec:
  asNumber: 64512
  nodeEndpoint: { create: true, labels: { role: bng } }
  fib: { table: 1000, resyncIntervalSeconds: 5 }
  bngPools: { source: Agent }

${coreEndpoints('core')}
---
apiVersion: bgp.bng-edge.io/v1alpha1
kind: BGPPeeringPolicy
metadata: { name: to-core }
spec:
  mode: upstream
  selector: { matchLabels: { role: bng } }
  upstreamConfig: { peerSelector: { matchLabels: { role: core } } }
  sessionTemplate: { labels: { upstream: 'yes' }, holdTime: 9, keepaliveTime: 3, connectRetryTime: 1 }
`;

const pool = (id: string, cidr: string) => ({ id, cidr, role: 'production', sharing: 'exclusive' });

before(async () => {
  bed = await startOperatorBed(['frr', 'frr']);
  await bed.startBngAgent('bng1', { nodeId: 'bng1', pools: [pool('res-1', '100.64.1.0/24')] });
  await bed.startBngAgent('bng2', { nodeId: 'bng2', pools: [pool('res-2', '100.64.2.0/24')] });
  await bed.startBngAgent('bng3', { nodeId: 'bng3', pools: [] });
  await bed.apply(BASE);
});

after(async () => {
  await bed?.stop();
});

test('the Chainsaw e2e suite passes on the bench', async () => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: [dirname(tools.kubectl), dirname(tools.gobgp), process.env.PATH].join(':'),
    KUBECONFIG: bed.cp.kubeconfigPath,
    E2E_LIB: `${REPO}e2e/lib`,
  };
  for (const core of bed.topo.routers) env[core.name.toUpperCase()] = core.shell;
  for (const [i, node] of bed.topo.nodes.entries()) {
    const n = `BNG${i + 1}`;
    env[`${n}_NETNS`] = node.netns;
    env[`${n}_GOBGP`] = node.gobgpd!.target;
    env[`${n}_AGENT_STATE`] = `${node.dir}/bng-agent.json`;
    env[`${n}_HTTP`] = `http://${node.management.ipv4}:9179`;
  }
  const only = process.env.E2E_INCLUDE;
  const logFile = `${bed.topo.node('bng1').dir}/chainsaw.log`;
  const log = createWriteStream(logFile);
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      tools.chainsaw,
      [
        'test',
        '--test-dir',
        `${REPO}e2e`,
        '--config',
        `${REPO}e2e/.chainsaw.yaml`,
        '--no-color',
        '--report-path',
        dirname(logFile),
        // E2E_INCLUDE=route-reflector runs only the matching tests (while working on one).
        ...(only ? ['--include-test-regex', only] : []),
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    child.once('error', reject);
    // 'close': the process has exited and its output pipes are drained into the log.
    child.once('close', resolve);
  });
  await new Promise((resolve) => log.end(resolve));
  const output = readFileSync(logFile, 'utf8');
  const summary = output.slice(output.lastIndexOf('Tests Summary'));
  console.log(
    summary
      .split('\n')
      .map((l) => `# ${l}`)
      .join('\n'),
  );
  if (code !== 0)
    console.log(
      output
        .split('\n')
        .filter((l) => /FAIL|ERROR|timed out|error:/i.test(l))
        .slice(-40)
        .join('\n'),
    );
  assert.equal(code, 0, `chainsaw failed; full log in ${logFile}`);
  assert.match(summary, /Failed\s+tests 0/);
  if (!only) assert.match(summary, /Passed\s+tests 8/);
});
