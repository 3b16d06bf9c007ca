// A map from canonical prefix to a small integer, sized for a full Internet table. IPv4 prefixes
// (the million-route case) live in typed arrays with open addressing: about 20 bytes a prefix
// instead of the ~100 a JavaScript Map with string keys costs; anything else falls back to a Map.
// Values are indexes into a ValuePool, so two of these (learned RIB and installed table) hold a
// full table in a few tens of megabytes.

const EMPTY = 255;
const TOMBSTONE = 254;

/** "a.b.c.d/len" -> [address, length], or undefined for anything else (IPv6, malformed). */
function parseV4(prefix: string): [number, number] | undefined {
  let address = 0;
  let octet = 0;
  let dots = 0;
  let i = 0;
  for (; i < prefix.length; i++) {
    const c = prefix.charCodeAt(i);
    if (c >= 48 && c <= 57) octet = octet * 10 + (c - 48);
    else if (c === 46 && dots < 3) {
      address = address * 256 + octet;
      octet = 0;
      dots++;
    } else break;
  }
  if (dots !== 3 || prefix.charCodeAt(i) !== 47 || octet > 255) return undefined;
  const length = Number(prefix.slice(i + 1));
  if (!(length >= 0 && length <= 32)) return undefined;
  return [(address * 256 + octet) >>> 0, length];
}

const hash = (address: number, length: number) =>
  Math.imul(address ^ (length * 0x9e3779b1), 0x85ebca6b) >>> 0;

export class PrefixMap {
  private addresses = new Uint32Array(0);
  private lengths = new Uint8Array(0);
  private values = new Uint32Array(0);
  private used = 0; // live + tombstones
  private live = 0;
  private readonly other = new Map<string, number>();

  get size(): number {
    return this.live + this.other.size;
  }

  get(prefix: string): number | undefined {
    const v4 = parseV4(prefix);
    if (!v4) return this.other.get(prefix);
    const slot = this.find(v4[0], v4[1]);
    return slot < 0 ? undefined : this.values[slot];
  }

  has(prefix: string): boolean {
    return this.get(prefix) !== undefined;
  }

  set(prefix: string, value: number): void {
    const v4 = parseV4(prefix);
    if (!v4) return void this.other.set(prefix, value);
    const [address, length] = v4;
    const found = this.find(address, length);
    if (found >= 0) return void (this.values[found] = value);
    if ((this.used + 1) * 10 > this.lengths.length * 7) this.resize();
    const mask = this.lengths.length - 1;
    for (let slot = hash(address, length) & mask; ; slot = (slot + 1) & mask) {
      const l = this.lengths[slot];
      if (l === EMPTY || l === TOMBSTONE) {
        if (l === EMPTY) this.used++;
        this.addresses[slot] = address;
        this.lengths[slot] = length;
        this.values[slot] = value;
        this.live++;
        return;
      }
    }
  }

  delete(prefix: string): boolean {
    const v4 = parseV4(prefix);
    if (!v4) return this.other.delete(prefix);
    const slot = this.find(v4[0], v4[1]);
    if (slot < 0) return false;
    this.lengths[slot] = TOMBSTONE;
    this.live--;
    return true;
  }

  /**
   * Every entry. Safe while the map changes (a sync pass iterates while the stream keeps feeding the
   * RIB): it walks the arrays it started with, and a resize replaces them rather than moving entries
   * under it; what changes meanwhile is caught by the next incremental pass.
   */
  *entries(): Generator<[string, number]> {
    const { addresses, lengths, values } = this;
    for (let slot = 0; slot < lengths.length; slot++) {
      const length = lengths[slot] ?? EMPTY;
      if (length >= TOMBSTONE) continue;
      const a = addresses[slot] ?? 0;
      yield [`${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}/${length}`, values[slot] ?? 0];
    }
    yield* this.other;
  }

  *keys(): Generator<string> {
    for (const [prefix] of this.entries()) yield prefix;
  }

  private find(address: number, length: number): number {
    const capacity = this.lengths.length;
    if (capacity === 0) return -1;
    const mask = capacity - 1;
    for (let slot = hash(address, length) & mask; ; slot = (slot + 1) & mask) {
      const l = this.lengths[slot];
      if (l === EMPTY) return -1;
      if (l === length && this.addresses[slot] === address) return slot;
    }
  }

  /** Doubles (or, when mostly tombstones, rebuilds at the same size) and re-inserts. */
  private resize(): void {
    const { addresses, lengths, values } = this;
    const capacity = Math.max(1024, this.live * 2 > lengths.length / 2 ? lengths.length * 2 : lengths.length);
    this.addresses = new Uint32Array(capacity);
    this.lengths = new Uint8Array(capacity).fill(EMPTY);
    this.values = new Uint32Array(capacity);
    this.used = 0;
    this.live = 0;
    const mask = capacity - 1;
    for (let i = 0; i < lengths.length; i++) {
      const length = lengths[i] ?? EMPTY;
      if (length >= TOMBSTONE) continue;
      const address = addresses[i] ?? 0;
      let slot = hash(address, length) & mask;
      while (this.lengths[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.addresses[slot] = address;
      this.lengths[slot] = length;
      this.values[slot] = values[i] ?? 0;
      this.used++;
      this.live++;
    }
  }
}

/**
 * Interned values with reference counts: a full table has a handful of distinct path sets or
 * installed routes, and each prefix holds an index. A value no prefix uses frees its index.
 */
export class ValuePool<T> {
  private readonly items: (T | undefined)[] = [];
  private readonly counts: number[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly free: number[] = [];

  /** The index of the value with this key, created by `make` if new; counts one more user. */
  acquire(key: string, make: () => T): number {
    let index = this.byKey.get(key);
    if (index === undefined) {
      index = this.free.pop() ?? this.items.length;
      this.items[index] = make();
      this.keys[index] = key;
      this.counts[index] = 0;
      this.byKey.set(key, index);
    }
    this.counts[index] = (this.counts[index] ?? 0) + 1;
    return index;
  }

  release(index: number): void {
    const count = (this.counts[index] ?? 0) - 1;
    this.counts[index] = count;
    if (count > 0) return;
    this.byKey.delete(this.keys[index] ?? '');
    this.items[index] = undefined;
    this.free.push(index);
  }

  get(index: number): T {
    const item = this.items[index];
    if (item === undefined) throw new Error(`value pool: index ${index} is free`);
    return item;
  }

  *values(): Generator<T> {
    for (const item of this.items) if (item !== undefined) yield item;
  }

  get distinct(): number {
    return this.byKey.size;
  }
}
