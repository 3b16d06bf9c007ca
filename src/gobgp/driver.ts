// One pass of the ordered GoBGP reconcilers: global -> policies -> paths -> peers. Each reads
// GoBGP's running state and makes only the calls that differ, so an unchanged desired state makes
// no write call at all, and a freshly restarted gobgpd is simply converged from empty.
import type { GobgpClient } from './client.ts';
import { reconcileGlobal, type GlobalOutcome, type RestartDaemon } from './reconcile/global.ts';
import { PathReconciler } from './reconcile/paths.ts';
import { reconcilePeers } from './reconcile/peers.ts';
import { reconcilePolicies } from './reconcile/policies.ts';
import type { DesiredState } from '../compile/model.ts';

export interface ApplyReport {
  global: GlobalOutcome;
  /** BGP was found not running although we had started it: gobgpd was restarted. */
  daemonRestarted: boolean;
  writes: number;
}

export class GobgpDriver {
  private readonly paths = new PathReconciler();
  private appliedOnce = false;

  readonly client: GobgpClient;
  private readonly restartDaemon: RestartDaemon | undefined;

  /** `restartDaemon` replaces the gobgpd process: needed for identity changes (see reconcile/global.ts). */
  constructor(client: GobgpClient, restartDaemon?: RestartDaemon) {
    this.client = client;
    this.restartDaemon = restartDaemon;
  }

  async apply(desired: DesiredState): Promise<ApplyReport> {
    const writesBefore = this.client.writeCount;
    const global = await reconcileGlobal(this.client, desired.global, this.restartDaemon);
    const daemonRestarted = global === 'started' && this.appliedOnce;
    if (global !== 'unchanged') this.paths.forget();
    if (desired.global) {
      await reconcilePolicies(this.client, desired);
      await this.paths.reconcile(this.client, desired.paths, desired.keepUnwantedPaths ?? false);
      await reconcilePeers(this.client, desired.global, desired.peers);
      this.appliedOnce = true;
    }
    return { global, daemonRestarted, writes: this.client.writeCount - writesBefore };
  }
}
