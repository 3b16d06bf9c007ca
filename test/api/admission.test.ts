// The CRDs against the real kube-apiserver: installed with `kubectl apply -k config/crd`, every
// sample applies and reads back as written, a milo-os/bgp manifest is accepted, `kubectl get bgp`
// prints readable columns, and every manifest of the bad-input table is rejected by `kubectl apply`
// with an error that names the field.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { startControlPlane, type ControlPlane } from '../bed/index.ts';
import { API_GROUP, API_VERSION, KINDS } from '../../src/api/index.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: unknown;
};

let cp: ControlPlane;

before(async () => {
  cp = await startControlPlane({ controllerManager: false });
  await cp.kubectl(['apply', '--server-side', '-k', `${repo}config/crd`]);
  await cp.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
});

after(async () => {
  await cp?.stop();
});

function documents(path: string): Manifest[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((d) => d.toJS() as Manifest);
}

/** True when every field of `written` is in `read` with the same value (read may add defaults). */
function contains(read: unknown, written: unknown): boolean {
  if (Array.isArray(written)) {
    return (
      Array.isArray(read) && read.length === written.length && written.every((w, i) => contains(read[i], w))
    );
  }
  if (written !== null && typeof written === 'object') {
    if (read === null || typeof read !== 'object') return false;
    return Object.entries(written).every(([k, v]) => contains((read as Record<string, unknown>)[k], v));
  }
  return read === written;
}

async function assertRoundTrip(doc: Manifest): Promise<void> {
  if (!doc.apiVersion.startsWith(API_GROUP)) return;
  const back = JSON.parse(await cp.kubectl(['get', doc.kind, doc.metadata.name, '-o', 'json'])) as Manifest;
  assert.ok(
    contains(back.spec, doc.spec),
    `${doc.kind}/${doc.metadata.name} reads back differently:\n${stringify(back.spec)}`,
  );
}

test('every sample in config/samples applies and reads back as written', async () => {
  await cp.kubectl(['apply', '-k', `${repo}config/samples`]);
  const files = readdirSync(`${repo}config/samples`).filter(
    (f) => f.endsWith('.yaml') && f !== 'kustomization.yaml',
  );
  const docs = files.flatMap((f) => documents(`${repo}config/samples/${f}`));
  assert.ok(
    docs.filter((d) => d.apiVersion.startsWith(API_GROUP)).length >= 12,
    'the samples describe a whole site',
  );
  for (const kind of KINDS.filter((k) => !k.operatorOwned))
    assert.ok(
      docs.some((d) => d.kind === kind.kind),
      `a sample of ${kind.kind}`,
    );
  for (const doc of docs) await assertRoundTrip(doc);
});

test('kubectl get bgp lists every kind with its columns', async () => {
  const out = await cp.kubectl(['get', 'bgp']);
  for (const kind of KINDS.filter((k) => !k.operatorOwned)) {
    assert.match(
      out,
      new RegExp(`${kind.kind.toLowerCase()}\\.${API_GROUP.replace(/\./g, '\\.')}/`),
      kind.kind,
    );
  }
  const sessions = await cp.kubectl(['get', 'bgppp']);
  assert.match(sessions, /NAME\s+MODE\s+ENDPOINTS\s+SESSIONS\s+ACTIVE\s+READY\s+AGE/);
  assert.match(sessions, /bng-to-pe\s+upstream/);
  assert.match(await cp.kubectl(['get', 'bgpep', 'pe1']), /pe1\s+10\.100\.0\.1\s+65000/);
  assert.match(
    await cp.kubectl(['get', 'bgpconfig']),
    /NAME\s+AS\s+PORT\s+NODES\s+SPEAKERS\s+POOLS\s+READY\s+AGE\n\S+\s+64512\s+179/,
  );
});

test('a milo-os/bgp v1alpha1 manifest with only apiVersion changed is accepted', async () => {
  const path = `${repo}test/api/fixtures/milo-v1alpha1.yaml`;
  await cp.kubectl(['apply', '-f', path]);
  for (const doc of documents(path)) await assertRoundTrip(doc);
});

interface BadCase {
  case: string;
  kind: string;
  spec: unknown;
  before?: unknown;
  error: string[];
}

test('every manifest of the bad-input table is rejected, naming the field', async (t) => {
  const cases = parse(readFileSync(`${repo}test/api/fixtures/bad-manifests.yaml`, 'utf8')) as BadCase[];
  assert.ok(cases.length >= 60, `the table has ${cases.length} cases`);
  for (const [i, c] of cases.entries()) {
    await t.test(c.case, async () => {
      const manifest = (spec: unknown): string =>
        JSON.stringify({
          apiVersion: `${API_GROUP}/${API_VERSION}`,
          kind: c.kind,
          metadata: { name: `bad-${i}` },
          spec,
        });
      if (c.before !== undefined) await cp.kubectl(['apply', '-f', '-'], manifest(c.before));
      const args = c.before === undefined ? ['apply', '--dry-run=server', '-f', '-'] : ['apply', '-f', '-'];
      const err = await cp.kubectl(args, manifest(c.spec)).then(
        (out) => assert.fail(`accepted (${out.trim()}) but must be rejected`),
        (e: Error) => e.message,
      );
      for (const text of c.error) assert.ok(err.includes(text), `the error must contain "${text}":\n${err}`);
    });
  }
});
