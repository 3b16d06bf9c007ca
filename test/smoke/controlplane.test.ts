// The control plane is real: it accepts a CRD, serves the new kind, stores a custom object, and
// its kubectl and @kubernetes/client-node clients both work with the generated kubeconfig.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import { startControlPlane, waitFor, type ControlPlane } from '../bed/index.ts';

const crd: k8s.V1CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.smoke.bng-edge.io' },
  spec: {
    group: 'smoke.bng-edge.io',
    scope: 'Cluster',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: { asNumber: { type: 'integer', minimum: 1, maximum: 4294967295 } },
                required: ['asNumber'],
              },
            },
          },
        },
      },
    ],
  },
};

let cp: ControlPlane;

before(async () => {
  cp = await startControlPlane();
});

after(async () => {
  await cp?.stop();
});

test('the apiserver accepts a CRD and a custom object', async () => {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(cp.kubeconfigPath);
  const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
  await ext.createCustomResourceDefinition({ body: crd });
  await waitFor('CRD Established', async () => {
    const got = await ext.readCustomResourceDefinition({ name: crd.metadata!.name! });
    return got.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')
      ? true
      : undefined;
  });

  const objects = kc.makeApiClient(k8s.CustomObjectsApi);
  const widget = {
    apiVersion: 'smoke.bng-edge.io/v1',
    kind: 'Widget',
    metadata: { name: 'w1' },
    spec: { asNumber: 4200000000 },
  };
  await objects.createClusterCustomObject({
    group: 'smoke.bng-edge.io',
    version: 'v1',
    plural: 'widgets',
    body: widget,
  });
  const read = (await objects.getClusterCustomObject({
    group: 'smoke.bng-edge.io',
    version: 'v1',
    plural: 'widgets',
    name: 'w1',
  })) as { spec: { asNumber: number } };
  assert.equal(read.spec.asNumber, 4200000000);

  // Schema validation is live: an out-of-range ASN is rejected at admission.
  await assert.rejects(
    objects.createClusterCustomObject({
      group: 'smoke.bng-edge.io',
      version: 'v1',
      plural: 'widgets',
      body: { ...widget, metadata: { name: 'w2' }, spec: { asNumber: 0 } },
    }),
    /asNumber/,
  );

  // The provisioned kubectl sees the same object.
  assert.equal((await cp.kubectl(['get', 'widgets', '-o', 'name'])).trim(), 'widget.smoke.bng-edge.io/w1');
});

test('kube-controller-manager runs: a deleted namespace is finalised', async () => {
  await cp.kubectl(['create', 'namespace', 'smoke-ns']);
  await cp.kubectl(['delete', 'namespace', 'smoke-ns', '--wait=false']);
  await waitFor('namespace smoke-ns gone', async () =>
    (await cp.kubectl(['get', 'namespaces', '-o', 'name'])).includes('namespace/smoke-ns') ? undefined : true,
  );
});

test('stop() leaves no process and no directory behind', async () => {
  const dir = cp.dir;
  const pids = cp.pids;
  await cp.stop();
  assert.equal(existsSync(dir), false, `${dir} still exists`);
  for (const pid of pids) assert.throws(() => process.kill(pid, 0), `process ${pid} still runs`);
});
