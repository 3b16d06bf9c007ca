// The one way status is written: server-side apply of the status subresource with this process's
// field manager (one per node, so two writers can never fight over a field), and only when the
// status differs from what the cache already holds: an unchanged status is never rewritten.
import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { canonicalJson } from '../compile/hash.ts';

export const GROUP = 'bgp.bng-edge.io';
export const VERSION = 'v1alpha1';

export class StatusWriter {
  private readonly api: CustomObjectsApi;
  readonly fieldManager: string;
  /** Status writes made: how the settle test sees that nothing is rewritten. */
  writes = 0;

  constructor(kc: KubeConfig, fieldManager: string) {
    this.api = kc.makeApiClient(CustomObjectsApi);
    this.fieldManager = fieldManager;
  }

  /**
   * Applies `status` to the object unless `current` already is exactly that. The whole status is
   * compared, not only the keys of the new one: each status has one writer, so a field the new
   * status leaves out must go (server-side apply removes fields its manager no longer sets).
   * Returns true if written.
   */
  async apply(
    kind: string,
    plural: string,
    name: string,
    status: Record<string, unknown>,
    current: Record<string, unknown> | undefined,
  ): Promise<boolean> {
    if (current && canonicalJson(current) === canonicalJson(status)) return false;
    await this.api.patchClusterCustomObjectStatus(
      {
        group: GROUP,
        version: VERSION,
        plural,
        name,
        body: { apiVersion: `${GROUP}/${VERSION}`, kind, metadata: { name }, status },
        fieldManager: this.fieldManager,
        force: true,
      },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    );
    this.writes++;
    return true;
  }
}
