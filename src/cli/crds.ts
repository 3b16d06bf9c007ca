// `bng-bgp crds`: the CustomResourceDefinitions this version needs, printed as one YAML stream or
// applied server-side (field manager bng-bgp), so an install or upgrade needs no repo checkout.
import {
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { crdFor, KINDS, renderCrds } from '../api/index.ts';

export function crdStream(): string {
  return [...renderCrds().values()].join('---\n');
}

/** Applies every CRD; returns their names. */
export async function applyCrds(kubeconfig: string | undefined): Promise<string[]> {
  const kc = new KubeConfig();
  if (kubeconfig) kc.loadFromFile(kubeconfig);
  else kc.loadFromDefault();
  const api = KubernetesObjectApi.makeApiClient(kc);
  const names: string[] = [];
  for (const def of KINDS) {
    const crd = crdFor(def) as unknown as KubernetesObject;
    await api.patch(crd, undefined, undefined, 'bng-bgp', true, PatchStrategy.ServerSideApply);
    names.push(crd.metadata?.name ?? def.plural);
  }
  return names;
}
