// config/default on a real apiserver: every object is accepted, and the agent's ServiceAccount may
// do exactly what the agent needs (kubectl auth can-i, allowed and denied). No kubelet runs here, so
// the DaemonSet is only stored; the operator bench runs its agents with this same RBAC.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startControlPlane, type ControlPlane } from '../bed/index.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
let cp: ControlPlane;

before(async () => {
  cp = await startControlPlane({ controllerManager: false });
});
after(async () => {
  await cp?.stop();
});

test('kubectl apply -k config/default: CRDs, RBAC, namespace, DaemonSet and Service accepted', async () => {
  const out = await cp.kubectl(['apply', '-k', `${REPO}config/default`]);
  for (const object of [
    'namespace/bng-bgp created',
    'serviceaccount/bng-bgp created',
    'clusterrole.rbac.authorization.k8s.io/bng-bgp created',
    'daemonset.apps/bng-bgp created',
    'service/bng-bgp-metrics created',
    'customresourcedefinition.apiextensions.k8s.io/bgpsessions.bgp.bng-edge.io created',
  ])
    assert.ok(out.includes(object), `${object} missing from:\n${out}`);
  const ds = JSON.parse(await cp.kubectl(['get', 'daemonset', 'bng-bgp', '-n', 'bng-bgp', '-o', 'json'])) as {
    spec: { template: { spec: { hostNetwork?: boolean; containers: { name: string }[] } } };
  };
  assert.equal(ds.spec.template.spec.hostNetwork, true);
  assert.deepEqual(
    ds.spec.template.spec.containers.map((c) => c.name),
    ['gobgpd', 'agent'],
  );
});

const AGENT = 'system:serviceaccount:bng-bgp:bng-bgp';
/** [verb, resource[/subresource], namespace, allowed] */
const cases: [verb: string, resource: string, namespace: string | undefined, allowed: boolean][] = [
  ['list', 'bgpconfigurations.bgp.bng-edge.io', undefined, true],
  ['watch', 'bgpadvertisements.bgp.bng-edge.io', undefined, true],
  ['create', 'bgpnodestates.bgp.bng-edge.io', undefined, true],
  ['patch', 'bgpnodestates.bgp.bng-edge.io/status', undefined, true],
  ['patch', 'bgpsessions.bgp.bng-edge.io/status', undefined, true],
  ['patch', 'bgpsessions.bgp.bng-edge.io', undefined, true],
  ['delete', 'bgpendpoints.bgp.bng-edge.io', undefined, true],
  ['list', 'nodes', undefined, true],
  ['create', 'events', 'default', true],
  ['get', 'secrets', 'bng-bgp', true],
  ['update', 'leases.coordination.k8s.io', 'bng-bgp', true],
  // Denied: what the agent never does.
  ['get', 'secrets', 'kube-system', false],
  ['list', 'secrets', undefined, false],
  ['update', 'bgpconfigurations.bgp.bng-edge.io', undefined, false],
  ['delete', 'bgpnodestates.bgp.bng-edge.io', undefined, false],
  ['patch', 'bgpadvertisements.bgp.bng-edge.io', undefined, false],
  ['update', 'bgpnodestates.bgp.bng-edge.io/status', undefined, false],
  ['patch', 'nodes', undefined, false],
  ['create', 'pods', 'bng-bgp', false],
  ['update', 'leases.coordination.k8s.io', 'kube-system', false],
  ['delete', 'customresourcedefinitions.apiextensions.k8s.io', undefined, false],
];

test('the agent ServiceAccount may do what the agent needs and nothing else', async () => {
  const wrong: string[] = [];
  for (const [verb, resource, namespace, allowed] of cases) {
    const [kind = '', subresource] = resource.split('/');
    const args = [
      'auth',
      'can-i',
      verb,
      kind,
      `--as=${AGENT}`,
      ...(subresource ? [`--subresource=${subresource}`] : []),
      ...(namespace ? ['-n', namespace] : []),
    ];
    const answer = (await cp.kubectl(args).catch((err: unknown) => String(err))).trim();
    const yes = answer.endsWith('yes');
    if (yes !== allowed) wrong.push(`${verb} ${resource}${namespace ? ` -n ${namespace}` : ''}: ${answer}`);
  }
  assert.deepEqual(wrong, []);
});

test('bng-bgp crds prints the 7 CRDs and --apply installs them server-side', async () => {
  const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
  const run = (args: string[]) => promisify(execFile)(process.execPath, [main, ...args]);
  const printed = (await run(['crds'])).stdout;
  assert.equal(printed.match(/^kind: CustomResourceDefinition$/gm)?.length, 7);
  const applied = (await run(['crds', '--apply', '--kubeconfig', cp.kubeconfigPath])).stdout;
  assert.equal(applied.match(/^customresourcedefinition \S+ applied$/gm)?.length, 7, applied);
  const managers = await cp.kubectl([
    'get',
    'crd',
    'bgpnodestates.bgp.bng-edge.io',
    '-o',
    'jsonpath={.metadata.managedFields[*].manager}',
  ]);
  assert.match(managers, /\bbng-bgp\b/);
});
