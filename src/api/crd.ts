// Renders the kinds into CustomResourceDefinitions. TypeBox emits plain JSON Schema; Kubernetes
// wants a structural OpenAPI v3 subset, so each node is rebuilt from an allow-list of keywords,
// enums and consts get an explicit type, and documentation-only keys (example) stay out.
import { stringify } from 'yaml';
import { API_GROUP, API_VERSION, CATEGORY, KINDS, type KindDefinition } from './kinds.ts';
import type { CelRule } from './schema/common.ts';

/** The JSON Schema keywords the renderers read; anything else passes through untouched. */
export interface JsonSchema {
  type?: string;
  format?: string;
  description?: string;
  default?: unknown;
  example?: unknown;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  'x-kubernetes-validations'?: CelRule[];
  [keyword: string]: unknown;
}

const KEPT = [
  'type',
  'format',
  'description',
  'default',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'enum',
  'nullable',
  'x-kubernetes-validations',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-preserve-unknown-fields',
] as const;

/** The structural-schema form of one TypeBox schema node, recursively. */
export function structural(node: JsonSchema): JsonSchema {
  const out = Object.fromEntries(
    KEPT.filter((k) => node[k] !== undefined).map((k) => [k, node[k]]),
  ) as JsonSchema;
  if (node.const !== undefined) out.enum = [node.const];
  const first = out.enum?.[0];
  if (out.type === undefined && first !== undefined)
    out.type = typeof first === 'number' ? 'integer' : typeof first;
  if (node.properties) {
    out.properties = Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, structural(v)]));
    if (node.required?.length) out.required = node.required;
  }
  if (node.items) out.items = structural(node.items);
  if (typeof node.additionalProperties === 'object')
    out.additionalProperties = structural(node.additionalProperties);
  return out;
}

export function crdFor(def: KindDefinition): JsonSchema {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${def.plural}.${API_GROUP}` },
    spec: {
      group: API_GROUP,
      scope: 'Cluster',
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.kind.toLowerCase(),
        shortNames: [def.shortName],
        categories: [CATEGORY],
      },
      versions: [
        {
          name: API_VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: def.columns,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: def.description,
              required: ['spec'],
              properties: {
                apiVersion: { type: 'string', description: 'APIVersion of this object.' },
                kind: { type: 'string', description: 'Kind of this object.' },
                metadata: { type: 'object' },
                spec: structural(def.spec as JsonSchema),
                status: structural(def.status as JsonSchema),
              },
            },
          },
        },
      ],
    },
  };
}

const HEADER = '# Generated from src/api by `npm run generate`: do not edit.\n';

/** File name (under crds/) to YAML text, for every kind. */
export function renderCrds(): Map<string, string> {
  return new Map(
    KINDS.map((def) => [
      `${API_GROUP}_${def.plural}.yaml`,
      HEADER + stringify(crdFor(def), { lineWidth: 0 }),
    ]),
  );
}

function kustomization(resources: string[]): string {
  const list = resources.map((r) => `  - ${r}`).join('\n');
  return `${HEADER}apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${list}\n`;
}

/** crds/kustomization.yaml: every CRD. Kustomize loads no file outside a kustomization's root. */
export function renderCrdsKustomization(): string {
  return kustomization([...renderCrds().keys()]);
}

/** config/crd/kustomization.yaml, so `kubectl apply -k config/crd` installs the CRDs. */
export function renderKustomization(): string {
  return kustomization(['../../crds']);
}
