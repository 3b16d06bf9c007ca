// Standard communities in the numeric ASN:VALUE form GoBGP parses everywhere, well-known names
// resolved (RFC 1997, 7611, 7999, 8326, 9494).
import { WELL_KNOWN_COMMUNITIES } from '../api/schema/common.ts';

const WELL_KNOWN: Record<(typeof WELL_KNOWN_COMMUNITIES)[number], number> = {
  'no-export': 0xffffff01,
  'no-advertise': 0xffffff02,
  'no-export-subconfed': 0xffffff03,
  'no-peer': 0xffffff04,
  blackhole: 0xffff029a,
  'graceful-shutdown': 0xffff0000,
  'accept-own': 0xffff0001,
  'llgr-stale': 0xffff0006,
  'no-llgr': 0xffff0007,
};

/** "no-export" -> "65535:65281"; "65000:100" unchanged. */
export function numericCommunity(community: string): string {
  const known = WELL_KNOWN[community as keyof typeof WELL_KNOWN];
  return known === undefined ? community : `${known >>> 16}:${known & 0xffff}`;
}

/** "65000:100" -> 65000 << 16 | 100, as GoBGP's CommunitiesAttribute carries it. */
export function communityValue(community: string): number {
  const [high = 0, low = 0] = numericCommunity(community).split(':').map(Number);
  return ((high << 16) | low) >>> 0;
}
