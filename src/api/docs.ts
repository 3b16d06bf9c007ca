// Renders docs/api.md: for each kind, every field with its type, default, admission checks,
// description and example, read from the same schemas as the CRDs, and the kind's sample from
// config/samples (which the admission tests apply), so every example in the docs is known to work.
import { readFileSync, readdirSync } from 'node:fs';
import { parseAllDocuments, stringify } from 'yaml';
import { API_GROUP, API_VERSION, KINDS } from './kinds.ts';
import { structural, type JsonSchema } from './crd.ts';

interface Row {
  path: string;
  type: string;
  defaultValue: string;
  checks: string;
  description: string;
}

function typeOf(raw: JsonSchema): string {
  const node = structural(raw);
  if (node.type === 'array') return `[]${typeOf(raw.items ?? {})}`;
  if (node.type === 'object' && node.additionalProperties) return 'map[string]string';
  return node.type ?? 'any';
}

function checksOf(node: JsonSchema): string {
  const parts: string[] = [];
  if (node.enum) parts.push(`one of ${node.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}`);
  if (node.minimum !== undefined || node.maximum !== undefined) {
    parts.push(`${node.minimum ?? '…'}–${node.maximum ?? '…'}`);
  }
  if (node.minItems !== undefined) parts.push(`at least ${node.minItems} item(s)`);
  if (node.maxItems !== undefined) parts.push(`at most ${node.maxItems} items`);
  if (node.pattern) parts.push(`pattern \`${node.pattern}\``);
  for (const rule of node['x-kubernetes-validations'] ?? []) {
    parts.push(rule.fieldPath ? `${rule.fieldPath.slice(1)}: ${rule.message}` : rule.message);
  }
  return parts.join('; ');
}

function rows(node: JsonSchema, path: string, out: Row[]): Row[] {
  const target = node.type === 'array' ? (node.items ?? {}) : node;
  const required = new Set(target.required ?? []);
  for (const [name, child] of Object.entries(target.properties ?? {})) {
    const childPath = `${path}${node.type === 'array' ? '[]' : ''}.${name}`;
    const example = child.example === undefined ? '' : ` Example: \`${JSON.stringify(child.example)}\`.`;
    out.push({
      path: `\`${childPath}\`${required.has(name) ? ' (required)' : ''}`,
      type: typeOf(child),
      defaultValue: child.default === undefined ? '' : `\`${JSON.stringify(child.default)}\``,
      checks: checksOf(structural(child)),
      description: `${child.description ?? ''}${example}`,
    });
    if (child.type === 'object' || child.type === 'array') rows(child, childPath, out);
  }
  return out;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** `samples`: the objects of config/samples, whose first object of each kind is shown. */
export function renderApiDocs(samples: { kind: string }[]): string {
  const lines = [
    '<!-- Generated from src/api by `npm run generate`: do not edit. -->',
    `# API reference: ${API_GROUP}/${API_VERSION}`,
    '',
    'All kinds are cluster-scoped, have a status subresource, and are listed by `kubectl get bgp`.',
    'Checks marked in the tables run at admission (OpenAPI and CEL); the rest (references between',
    'objects, conflicts) become status conditions with a reason.',
    '',
  ];
  for (const def of KINDS) {
    const spec = def.spec as JsonSchema;
    lines.push(`## ${def.kind} (\`${def.shortName}\`)`, '', def.description, '');
    const specChecks = checksOf(structural(spec));
    if (specChecks) lines.push(`Rules across fields: ${specChecks}.`, '');
    lines.push('| field | type | default | checked at admission | description |', '|---|---|---|---|---|');
    for (const r of rows(spec, 'spec', [])) {
      lines.push(
        `| ${r.path} | ${r.type} | ${r.defaultValue} | ${cell(r.checks)} | ${cell(r.description)} |`,
      );
    }
    lines.push('', `Printer columns: ${def.columns.map((c) => c.name).join(', ')}.`, '');
    const sample = samples.find((s) => s.kind === def.kind);
    if (sample)
      lines.push('Example (from config/samples):', '', '```yaml', stringify(sample).trimEnd(), '```', '');
  }
  return `${lines.join('\n')}`;
}

/** The objects of every YAML file in a samples directory, in file-name order. */
export function readSamples(dir: string): { kind: string }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .sort()
    .flatMap((f) =>
      parseAllDocuments(readFileSync(`${dir}/${f}`, 'utf8')).map((d) => d.toJS() as { kind: string }),
    );
}
