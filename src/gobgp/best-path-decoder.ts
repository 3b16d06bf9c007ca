// A lean decoder for GoBGP's best-path stream. A full table arrives as one WatchEvent message per
// path (GoBGP notifies watchers path by path), and decoding each into the complete generated object
// (every attribute, every default) cost more than everything else route sync does per route. This
// reads only the fields route sync needs, with protobufjs's Reader, and skips the rest; a unit test
// checks it against the full decoder on the same bytes.
import protobuf from 'protobufjs/minimal.js';

const { Reader } = protobuf;

/** A path of the best-path stream, reduced to what the FIB needs (strings as GoBGP printed them). */
export interface LeanPath {
  prefix: string;
  prefixLength: number;
  /** The first next hop (IPv4 NEXT_HOP, or the global address of MP_REACH); "" when absent. */
  nextHop: string;
  withdraw: boolean;
  /** "" for a path GoBGP originates itself. */
  neighborIp: string;
  identifier: number;
}

// Field numbers from GoBGP's api/gobgp.proto, api/nlri.proto and api/attribute.proto (v4).
const EVENT_TABLE = 3; // WatchEventResponse.table
const TABLE_PATHS = 2; // TableEvent.paths
const PATH_NLRI = 1;
const PATH_PATTRS = 2;
const PATH_IS_WITHDRAW = 5;
const PATH_NEIGHBOR_IP = 15;
const PATH_IDENTIFIER = 18;
const NLRI_PREFIX = 1; // NLRI.prefix (IPAddressPrefix)
const PREFIX_LEN = 1;
const PREFIX_TEXT = 2;
const ATTR_NEXT_HOP = 4; // Attribute.next_hop (NextHopAttribute.next_hop = 1)
const ATTR_MP_REACH = 12; // Attribute.mp_reach (MpReachNLRIAttribute.next_hops = 2)
const MP_REACH_NEXT_HOPS = 2;

type ProtoReader = protobuf.Reader;

/** Calls `onField(fieldNumber, wireType)` for each field of the message ending at `end`. */
function fields(r: ProtoReader, end: number, onField: (field: number, wire: number) => boolean): void {
  while (r.pos < end) {
    const tag = r.uint32();
    if (!onField(tag >>> 3, tag & 7)) r.skipType(tag & 7);
  }
}

/** The paths of a table event, or undefined for any other event (peer events). */
export function decodeBestPathEvent(buffer: Uint8Array): LeanPath[] | undefined {
  const r = Reader.create(buffer);
  let paths: LeanPath[] | undefined;
  fields(r, r.len, (field, wire) => {
    if (field !== EVENT_TABLE || wire !== 2) return false;
    paths ??= [];
    const end = r.uint32() + r.pos;
    fields(r, end, (f, w) => {
      if (f !== TABLE_PATHS || w !== 2) return false;
      paths?.push(decodePath(r, r.uint32() + r.pos));
      return true;
    });
    return true;
  });
  return paths;
}

function decodePath(r: ProtoReader, end: number): LeanPath {
  const path: LeanPath = {
    prefix: '',
    prefixLength: 0,
    nextHop: '',
    withdraw: false,
    neighborIp: '',
    identifier: 0,
  };
  fields(r, end, (field, wire) => {
    if (field === PATH_NLRI && wire === 2) {
      const nlriEnd = r.uint32() + r.pos;
      fields(r, nlriEnd, (f, w) => {
        if (f !== NLRI_PREFIX || w !== 2) return false;
        const prefixEnd = r.uint32() + r.pos;
        fields(r, prefixEnd, (pf, pw) => {
          if (pf === PREFIX_LEN && pw === 0) path.prefixLength = r.uint32();
          else if (pf === PREFIX_TEXT && pw === 2) path.prefix = r.string();
          else return false;
          return true;
        });
        return true;
      });
    } else if (field === PATH_PATTRS && wire === 2) {
      const attrEnd = r.uint32() + r.pos;
      fields(r, attrEnd, (f, w) => {
        if (w !== 2 || (f !== ATTR_NEXT_HOP && f !== ATTR_MP_REACH)) return false;
        const innerEnd = r.uint32() + r.pos;
        const wanted = f === ATTR_NEXT_HOP ? 1 : MP_REACH_NEXT_HOPS;
        fields(r, innerEnd, (nf, nw) => {
          if (nf !== wanted || nw !== 2) return false;
          const hop = r.string();
          // MP_REACH lists the global address first (then link-local): keep the first.
          if (f === ATTR_NEXT_HOP || path.nextHop === '') path.nextHop = hop;
          return true;
        });
        return true;
      });
    } else if (field === PATH_IS_WITHDRAW && wire === 0) path.withdraw = r.bool();
    else if (field === PATH_NEIGHBOR_IP && wire === 2) path.neighborIp = r.string();
    else if (field === PATH_IDENTIFIER && wire === 0) path.identifier = r.uint32();
    else return false;
    return true;
  });
  return path;
}
