// The node's pool source, kept in step with the compiled settings. A settings change starts a new
// source but keeps answering with the old one until the new one has settled (heard from the BNG and
// read its list), so editing an interval or a URL never withdraws a pool.
import { canonicalJson } from '../compile/hash.ts';
import type { DesiredPoolSource } from '../compile/model.ts';
import { AgentPoolSource } from './agent-source.ts';
import { NexusPoolSource } from './nexus-source.ts';
import type { PoolView } from './pool.ts';
import type { PoolSource } from './pool-source.ts';
import { StaticPoolSource } from './static-source.ts';

function createPoolSource(desired: DesiredPoolSource, node: string, onChange: () => void): PoolSource {
  switch (desired.kind) {
    case 'Agent':
      return new AgentPoolSource(desired, onChange);
    case 'Static':
      return new StaticPoolSource(desired, onChange);
    case 'Nexus':
      return new NexusPoolSource({ ...desired, node }, onChange);
  }
}

/** What identifies a source: static pools are not part of it (compile reads them from the spec). */
function sourceKey(desired: DesiredPoolSource): string {
  return canonicalJson(desired.kind === 'Static' ? { ...desired, pools: [] } : desired);
}

export class PoolSources {
  private current: { key: string; source: PoolSource } | undefined;
  private previous: PoolSource | undefined;
  private readonly node: string;
  private readonly onChange: () => void;

  constructor(node: string, onChange: () => void) {
    this.node = node;
    this.onChange = onChange;
  }

  /** Starts, replaces or stops the source to match the settings. */
  configure(desired: DesiredPoolSource | undefined): void {
    const key = desired && sourceKey(desired);
    if (key === this.current?.key) return;
    void this.previous?.stop();
    this.previous = this.current?.source;
    this.current =
      desired && key ? { key, source: createPoolSource(desired, this.node, this.onChange) } : undefined;
    this.current?.source.start();
    if (!this.current) this.retirePrevious();
  }

  /** The current view; undefined without a source. */
  view(): PoolView | undefined {
    const view = this.current?.source.view();
    if (view && !view.settled && this.previous?.kind === view.source) return this.previous.view();
    this.retirePrevious();
    return view;
  }

  async stop(): Promise<void> {
    await Promise.all([this.current?.source.stop(), this.previous?.stop()]);
  }

  private retirePrevious(): void {
    void this.previous?.stop();
    this.previous = undefined;
  }
}
