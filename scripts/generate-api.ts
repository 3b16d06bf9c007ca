// Writes crds/*.yaml, config/crd/kustomization.yaml and docs/api.md from src/api, and the BNG pool
// API's JSON Schema from src/bng/agent-api.ts.
// test/api/generated.test.ts fails when these files differ from what this would write.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  readSamples,
  renderApiDocs,
  renderCrds,
  renderCrdsKustomization,
  renderKustomization,
} from '../src/api/index.ts';
import { renderPoolApiSchema } from '../src/bng/agent-api.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const crds = renderCrds();
mkdirSync(`${repo}crds`, { recursive: true });
for (const file of readdirSync(`${repo}crds`)) {
  if (file.endsWith('.yaml') && file !== 'kustomization.yaml' && !crds.has(file))
    rmSync(`${repo}crds/${file}`);
}
for (const [file, text] of crds) writeFileSync(`${repo}crds/${file}`, text);
writeFileSync(`${repo}crds/kustomization.yaml`, renderCrdsKustomization());
mkdirSync(`${repo}config/crd`, { recursive: true });
writeFileSync(`${repo}config/crd/kustomization.yaml`, renderKustomization());
mkdirSync(`${repo}docs`, { recursive: true });
writeFileSync(`${repo}docs/api.md`, renderApiDocs(readSamples(`${repo}config/samples`)));
writeFileSync(`${repo}docs/bng-pool-api.schema.json`, renderPoolApiSchema());
console.error(
  `==> wrote ${crds.size} CRDs, config/crd/kustomization.yaml, docs/api.md and docs/bng-pool-api.schema.json`,
);
