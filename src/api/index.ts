// The bgp.bng-edge.io/v1alpha1 API: kinds, types, and the CRD and docs renderers.
export * from './kinds.ts';
export type * from './types.ts';
export { crdFor, renderCrds, renderCrdsKustomization, renderKustomization } from './crd.ts';
export { readSamples, renderApiDocs } from './docs.ts';
