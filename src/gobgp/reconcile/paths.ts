// The paths this node originates: in GoBGP's RIB, the ones with no neighbour (ListPath does not
// return the uuid AddPath gave). Their content is compared through a canonical summary of the
// attributes we set. A changed path is simply added again (same prefix: GoBGP replaces it with an
// implicit withdraw), so a prefix is never withdrawn while it changes; only prefixes no longer
// wanted are deleted.
//
// Reading: a full scan of the RIB only on the first pass (or after a restart), then lookups of just
// the prefixes that are or were ours, so a full Internet table is not listed on every reconcile.
import type { Path__Output } from '../../../gen/ts/gobgp/api/Path.ts';
import type { AddressFamily, GobgpClient } from '../client.ts';
import { pathAttributes, toApiPath } from '../convert.ts';
import { canonicalJson } from '../../compile/hash.ts';
import type { DesiredPath } from '../../compile/model.ts';
import type { Attribute } from '../../../gen/ts/gobgp/api/Attribute.ts';

/** What identifies a path's content among the attributes we set. */
function summary(attrs: (Attribute | Path__Output['pattrs'][number])[]): string {
  const out: Record<string, unknown> = {};
  for (const a of attrs) {
    if (a.nextHop) out.nextHop = a.nextHop.nextHop;
    if (a.mpReach) out.nextHop = a.mpReach.nextHops?.[0];
    if (a.asPath) out.asPath = (a.asPath.segments ?? []).flatMap((s) => (s.numbers ?? []).map(Number));
    if (a.multiExitDisc) out.med = Number(a.multiExitDisc.med);
    if (a.localPref) out.localPref = Number(a.localPref.localPref);
    if (a.communities) out.communities = (a.communities.communities ?? []).map(Number).sort();
    if (a.largeCommunities) {
      out.large = (a.largeCommunities.communities ?? [])
        .map((c) => `${c.globalAdmin}:${c.localData1}:${c.localData2}`)
        .sort();
    }
  }
  return canonicalJson(out);
}

interface OurPath {
  family: AddressFamily;
  prefix: string;
  path: Path__Output;
  summary: string;
}

export class PathReconciler {
  /** Prefixes we originated, by family; undefined until a full scan has been made. */
  private known: Map<AddressFamily, Set<string>> | undefined;

  /** After a gobgpd restart the RIB is new: scan it whole again. */
  forget(): void {
    this.known = undefined;
  }

  private async running(client: GobgpClient, desired: DesiredPath[]): Promise<OurPath[]> {
    const found: OurPath[] = [];
    for (const family of ['ipv4-unicast', 'ipv6-unicast'] as const) {
      const lookup = new Set([
        ...desired.filter((p) => p.family === family).map((p) => p.prefix),
        ...(this.known?.get(family) ?? []),
      ]);
      if (this.known && lookup.size === 0) continue;
      const prefixes = this.known
        ? [...lookup].map((prefix) => ({ prefix, type: 'TYPE_EXACT' as const }))
        : [];
      for (const dest of await client.listPath(family, { prefixes })) {
        for (const path of dest.paths) {
          if (path.neighborIp === '')
            found.push({ family, prefix: dest.prefix, path, summary: summary(path.pattrs) });
        }
      }
    }
    return found;
  }

  /** `keepUnwanted`: add and update, delete nothing (the pool source has not settled yet). */
  async reconcile(client: GobgpClient, desired: DesiredPath[], keepUnwanted = false): Promise<void> {
    const running = await this.running(client, desired);
    // Known before any write: a pass that fails half-way still finds what it added next time.
    this.known = this.knownAfter([...desired, ...running], this.known);
    const byPrefix = new Map(running.map((p) => [p.prefix, p]));
    for (const path of desired) {
      const current = byPrefix.get(path.prefix);
      if (current?.summary === summary(pathAttributes(path))) continue;
      await client.addPath(toApiPath(path));
    }
    const wanted = new Set(desired.map((p) => p.prefix));
    for (const p of running) {
      if (!wanted.has(p.prefix) && !keepUnwanted)
        await client.deletePath({ family: p.path.family, nlri: p.path.nlri, pattrs: p.path.pattrs });
    }
    // Kept paths stay known, so a later pass still finds and deletes them.
    this.known = this.knownAfter([...desired, ...(keepUnwanted ? running : [])]);
  }

  private knownAfter(
    paths: { family: AddressFamily; prefix: string }[],
    also?: Map<AddressFamily, Set<string>>,
  ): Map<AddressFamily, Set<string>> {
    return new Map(
      (['ipv4-unicast', 'ipv6-unicast'] as const).map((family) => [
        family,
        new Set([
          ...(also?.get(family) ?? []),
          ...paths.filter((p) => p.family === family).map((p) => p.prefix),
        ]),
      ]),
    );
  }
}
