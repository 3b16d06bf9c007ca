// IP addresses and prefixes as netlink carries them (network-order bytes) and as we key them
// (canonical text: dotted quad, RFC 5952 for IPv6, the same form Go's netip prints). Every prefix
// that enters route sync goes through here once, so the learned RIB and the kernel agree on keys.

export type Family = 4 | 6;

/** Bytes of an IPv4 or IPv6 address, or undefined when the text is not one. */
export function parseAddress(text: string): Uint8Array | undefined {
  return text.includes(':') ? parseIPv6(text) : parseIPv4(text);
}

function parseIPv4(text: string): Uint8Array | undefined {
  // A hand loop, not split and regexes: every learned prefix and next hop comes through here.
  const out = new Uint8Array(4);
  let octet = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46; // a final '.' closes the last octet
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      if (++digits > 3 || value > 255) return undefined;
    } else if (c === 46 && digits > 0 && octet < 4) {
      out[octet++] = value;
      value = 0;
      digits = 0;
    } else return undefined;
  }
  return octet === 4 ? out : undefined;
}

function parseIPv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): number[] | undefined => {
    if (!half) return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] ?? '';
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIPv4(part);
        if (!v4) return undefined;
        out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return undefined;
        out.push(parseInt(part, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 1 ? 0 : missing).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

/** Canonical text of 4 or 16 address bytes. */
export function formatAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  // RFC 5952: the longest run (first on a tie) of two or more zero groups becomes "::".
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export interface ParsedPrefix {
  family: Family;
  /** Network address bytes (host bits cleared). */
  address: Uint8Array;
  length: number;
  /** Canonical "address/length". */
  key: string;
}

/** A prefix in canonical form, host bits cleared; undefined when the text is not a prefix. */
export function parsePrefix(text: string): ParsedPrefix | undefined {
  const slash = text.indexOf('/');
  const address = parseAddress(slash < 0 ? text : text.slice(0, slash));
  if (!address) return undefined;
  const max = address.length * 8;
  const length = slash < 0 ? max : Number(text.slice(slash + 1));
  if (!Number.isInteger(length) || length < 0 || length > max) return undefined;
  for (let bit = length; bit < max; bit++)
    address[bit >> 3] = (address[bit >> 3] ?? 0) & ~(0x80 >> (bit & 7));
  const family: Family = address.length === 4 ? 4 : 6;
  return { family, address, length, key: `${formatAddress(address)}/${length}` };
}

/** Canonical text of an address, or undefined when it is not one. */
export function canonicalAddress(text: string): string | undefined {
  const bytes = parseAddress(text);
  return bytes ? formatAddress(bytes) : undefined;
}

/**
 * Canonical "address/length" of a network address and length, or undefined when invalid. The common
 * case (already canonical IPv4, host bits clear) costs one parse and no formatting.
 */
export function prefixKey(address: string, length: number): string | undefined {
  if (!address.includes(':')) {
    const bytes = parseIPv4(address);
    if (!bytes || length > 32) return undefined;
    const value =
      (((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)) >>> 0;
    const hostBits = length === 0 ? value : (value << length) >>> 0;
    // No leading zeros and no host bits: the text is already canonical.
    if (hostBits === 0 && !/(^|\.)0\d/.test(address)) return `${address}/${length}`;
  }
  return parsePrefix(`${address}/${length}`)?.key;
}
