// rtnetlink route messages, encoded and decoded by hand: route sync needs only RTM_NEWROUTE,
// RTM_DELROUTE and RTM_GETROUTE, and writing them straight into one buffer is what lets a batch
// of a thousand routes go to the kernel in a single sendmsg (the `netlink` package formats one
// message per call). Layouts are from <linux/netlink.h> and <linux/rtnetlink.h>.
import { formatAddress, parseAddress, parsePrefix } from './addr.ts';

export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
export const RTM_NEWROUTE = 24;
export const RTM_DELROUTE = 25;
export const RTM_GETROUTE = 26;

const NLM_F_REQUEST = 0x1;
const NLM_F_ACK = 0x4;
const NLM_F_DUMP = 0x300;
const NLM_F_REPLACE = 0x100;
const NLM_F_EXCL = 0x200;
const NLM_F_CREATE = 0x400;

const AF_INET = 2;
const AF_INET6 = 10;
const RTN_UNICAST = 1;
const RT_TABLE_COMPAT = 252;
const RTA_DST = 1;
const RTA_OIF = 4;
const RTA_GATEWAY = 5;
const RTA_PRIORITY = 6;
const RTA_MULTIPATH = 9;
const RTA_TABLE = 15;

const HEADER = 16; // nlmsghdr
const RTMSG = 12; // rtmsg
const align4 = (n: number) => (n + 3) & ~3;

/** A route as route sync writes it: always unicast, always our protocol, always one table. */
export interface RouteMessage {
  prefix: string;
  nextHops: readonly string[];
  table: number;
  protocol: number;
  metric: number;
}

/** add = create, fail if the slot is taken (never clobber a route that is not ours); replace = change ours. */
export type RouteOp = 'add' | 'replace' | 'delete';

const OP_FLAGS: Record<RouteOp, number> = {
  add: NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL,
  replace: NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE,
  delete: NLM_F_REQUEST,
};

/** Upper bound of an encoded route message (a 16-way IPv6 ECMP route fits in ~600 bytes). */
export function maxRouteMessageSize(nextHops: number): number {
  return HEADER + RTMSG + 3 * 8 + 20 + 4 + Math.max(1, nextHops) * (8 + 20);
}

/**
 * Writes one route message at `offset` of `buf` and returns the offset after it. `ack` asks the
 * kernel to acknowledge success too (errors are always reported). Throws on an unparsable prefix
 * or next hop: callers validate before planning, so this is a bug, not input.
 */
export function encodeRoute(
  buf: Buffer,
  offset: number,
  op: RouteOp,
  route: RouteMessage,
  seq: number,
  ack: boolean,
): number {
  const prefix = parsePrefix(route.prefix);
  if (!prefix) throw new Error(`not a prefix: ${route.prefix}`);
  const gateways = route.nextHops.map((h) => {
    const bytes = parseAddress(h);
    if (!bytes || bytes.length !== prefix.address.length)
      throw new Error(`bad next hop ${h} for ${route.prefix}`);
    return bytes;
  });
  const start = offset;
  const type = op === 'delete' ? RTM_DELROUTE : RTM_NEWROUTE;
  buf.writeUInt16LE(type, start + 4);
  buf.writeUInt16LE(OP_FLAGS[op] | (ack ? NLM_F_ACK : 0), start + 6);
  buf.writeUInt32LE(seq, start + 8);
  buf.writeUInt32LE(0, start + 12);
  let p = start + HEADER;
  buf[p] = prefix.family === 4 ? AF_INET : AF_INET6;
  buf[p + 1] = prefix.length;
  buf[p + 2] = 0; // src_len
  buf[p + 3] = 0; // tos
  buf[p + 4] = route.table < 256 ? route.table : RT_TABLE_COMPAT;
  buf[p + 5] = route.protocol; // on delete, the kernel only removes a route of this protocol
  buf[p + 6] = 0; // scope universe
  buf[p + 7] = RTN_UNICAST;
  buf.writeUInt32LE(0, p + 8);
  p += RTMSG;
  p = putAttr(buf, p, RTA_DST, prefix.address);
  p = putU32(buf, p, RTA_TABLE, route.table);
  p = putU32(buf, p, RTA_PRIORITY, route.metric);
  if (op !== 'delete') {
    const first = gateways[0];
    if (gateways.length === 1 && first) p = putAttr(buf, p, RTA_GATEWAY, first);
    else if (gateways.length > 1) {
      const mp = p;
      p += 4;
      for (const gw of gateways) {
        const nh = p;
        buf.writeUInt8(0, nh + 2); // flags
        buf.writeUInt8(0, nh + 3); // hops (weight - 1)
        buf.writeInt32LE(0, nh + 4); // ifindex: the kernel finds it from the gateway
        p = putAttr(buf, nh + 8, RTA_GATEWAY, gw);
        buf.writeUInt16LE(p - nh, nh);
      }
      buf.writeUInt16LE(p - mp, mp);
      buf.writeUInt16LE(RTA_MULTIPATH, mp + 2);
    }
  }
  buf.writeUInt32LE(p - start, start);
  return p;
}

function putAttr(buf: Buffer, p: number, type: number, data: Uint8Array): number {
  buf.writeUInt16LE(4 + data.length, p);
  buf.writeUInt16LE(type, p + 2);
  buf.set(data, p + 4);
  const end = p + 4 + data.length;
  buf.fill(0, end, p + align4(4 + data.length));
  return p + align4(4 + data.length);
}

function putU32(buf: Buffer, p: number, type: number, value: number): number {
  buf.writeUInt16LE(8, p);
  buf.writeUInt16LE(type, p + 2);
  buf.writeUInt32LE(value >>> 0, p + 4);
  return p + 8;
}

/** A dump request for all routes of one family (the kernel filters nothing without strict checks). */
export function encodeRouteDump(family: 4 | 6, seq: number): Buffer {
  const buf = Buffer.alloc(HEADER + RTMSG);
  buf.writeUInt32LE(buf.length, 0);
  buf.writeUInt16LE(RTM_GETROUTE, 4);
  buf.writeUInt16LE(NLM_F_REQUEST | NLM_F_DUMP, 6);
  buf.writeUInt32LE(seq, 8);
  buf[HEADER] = family === 4 ? AF_INET : AF_INET6;
  return buf;
}

/** A route lookup, as `ip route get <address>`: the kernel answers with the route it would use. */
export function encodeRouteGet(address: string, seq: number): Buffer {
  const bytes = parseAddress(address);
  if (!bytes) throw new Error(`not an address: ${address}`);
  const buf = Buffer.alloc(HEADER + RTMSG + align4(4 + bytes.length));
  buf.writeUInt32LE(buf.length, 0);
  buf.writeUInt16LE(RTM_GETROUTE, 4);
  buf.writeUInt16LE(NLM_F_REQUEST, 6);
  buf.writeUInt32LE(seq, 8);
  buf[HEADER] = bytes.length === 4 ? AF_INET : AF_INET6;
  buf[HEADER + 1] = bytes.length * 8;
  putAttr(buf, HEADER + RTMSG, RTA_DST, bytes);
  return buf;
}

/** One netlink message of a received datagram. */
export interface NetlinkMessage {
  type: number;
  flags: number;
  seq: number;
  /** The payload (after the 16-byte header), a view into the datagram. */
  payload: Buffer;
}

export function* splitMessages(datagram: Buffer): Generator<NetlinkMessage> {
  let p = 0;
  while (p + HEADER <= datagram.length) {
    const len = datagram.readUInt32LE(p);
    if (len < HEADER || p + len > datagram.length) return;
    yield {
      type: datagram.readUInt16LE(p + 4),
      flags: datagram.readUInt16LE(p + 6),
      seq: datagram.readUInt32LE(p + 8),
      payload: datagram.subarray(p + HEADER, p + len),
    };
    p += align4(len);
  }
}

/** The errno of an NLMSG_ERROR payload (0 = acknowledgement). */
export const errorCode = (payload: Buffer): number => -payload.readInt32LE(0);

/** A route as decoded from the kernel; next hops sorted, prefix canonical. */
export interface DecodedRoute {
  prefix: string;
  table: number;
  protocol: number;
  metric: number;
  type: number;
  nextHops: string[];
  /** Output interface index (single-path routes; 0 when absent). */
  oif: number;
}

/** Decodes an RTM_NEWROUTE payload. */
export function decodeRoute(payload: Buffer): DecodedRoute {
  const family = payload[0] === AF_INET ? 4 : 6;
  const size = family === 4 ? 4 : 16;
  let dst: Uint8Array = new Uint8Array(size);
  let table = payload[4] ?? 0;
  let metric = 0;
  let oif = 0;
  const nextHops: string[] = [];
  for (const [type, data] of attributes(payload, RTMSG)) {
    if (type === RTA_DST) dst = data;
    else if (type === RTA_TABLE) table = data.readUInt32LE(0);
    else if (type === RTA_PRIORITY) metric = data.readUInt32LE(0);
    else if (type === RTA_OIF) oif = data.readInt32LE(0);
    else if (type === RTA_GATEWAY) nextHops.push(formatAddress(data));
    else if (type === RTA_MULTIPATH) {
      for (let p = 0; p + 8 <= data.length;) {
        const len = data.readUInt16LE(p);
        if (len < 8) break;
        for (const [t, d] of attributes(data.subarray(p, p + len), 8))
          if (t === RTA_GATEWAY) nextHops.push(formatAddress(d));
        p += align4(len);
      }
    }
  }
  nextHops.sort();
  return {
    prefix: `${formatAddress(dst)}/${payload[1] ?? 0}`,
    table,
    protocol: payload[5] ?? 0,
    metric,
    type: payload[7] ?? 0,
    nextHops,
    oif,
  };
}

function* attributes(buf: Buffer, start: number): Generator<[number, Buffer]> {
  for (let p = start; p + 4 <= buf.length;) {
    const len = buf.readUInt16LE(p);
    if (len < 4 || p + len > buf.length) return;
    yield [buf.readUInt16LE(p + 2) & 0x3fff, buf.subarray(p + 4, p + len)];
    p += align4(len);
  }
}

/** Protocol byte of an RTM_NEWROUTE payload, read without decoding the rest (dump filtering). */
export const routeProtocol = (payload: Buffer): number => payload[5] ?? 0;
