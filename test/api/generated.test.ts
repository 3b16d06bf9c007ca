// crds/, config/crd and docs/api.md are generated from src/api: this fails when they are stale
// (`npm run generate` fixes it), so the schema source and what users apply never drift apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  readSamples,
  renderApiDocs,
  renderCrds,
  renderCrdsKustomization,
  renderKustomization,
} from '../../src/api/index.ts';
import { renderPoolApiSchema } from '../../src/bng/agent-api.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): string => readFileSync(`${repo}${path}`, 'utf8');
const stale = (path: string): string => `${path} is out of date with src/api: run npm run generate`;

test('crds/ holds exactly the generated CRDs', () => {
  const crds = renderCrds();
  const onDisk = readdirSync(`${repo}crds`).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
  assert.deepEqual(onDisk.sort(), [...crds.keys()].sort(), 'crds/ has other files than the generated CRDs');
  for (const [file, text] of crds) assert.equal(read(`crds/${file}`), text, stale(`crds/${file}`));
  assert.equal(read('crds/kustomization.yaml'), renderCrdsKustomization(), stale('crds/kustomization.yaml'));
});

test('config/crd/kustomization.yaml and docs/api.md are generated', () => {
  assert.equal(
    read('config/crd/kustomization.yaml'),
    renderKustomization(),
    stale('config/crd/kustomization.yaml'),
  );
  assert.equal(
    read('docs/api.md'),
    renderApiDocs(readSamples(`${repo}config/samples`)),
    stale('docs/api.md'),
  );
});

test('docs/bng-pool-api.schema.json is the contract the agent source validates against', () => {
  assert.equal(
    read('docs/bng-pool-api.schema.json'),
    renderPoolApiSchema(),
    stale('docs/bng-pool-api.schema.json'),
  );
});

test('every kind is cluster-scoped, in category bgp, with a status subresource and a short name', () => {
  for (const text of renderCrds().values()) {
    assert.match(text, /scope: Cluster/);
    assert.match(text, /categories:\n\s+- bgp/);
    assert.match(text, /subresources:\n\s+status: \{\}/);
    assert.match(text, /shortNames:\n\s+- bgp[a-z]+/);
  }
});
