// One definition of how the GoBGP .proto files are loaded, shared by the runtime loader and the
// type generator so the generated TypeScript types match what @grpc/proto-loader hands us.
import { fileURLToPath } from 'node:url';
import type { Options } from '@grpc/proto-loader';

/** Folder holding the GoBGP .proto files, copied from the pinned module by scripts/build-gobgp.sh. */
export const GOBGP_PROTO_ROOT = fileURLToPath(new URL('../../gen/proto/gobgp/', import.meta.url));
export const GOBGP_PROTO_FILE = 'api/gobgp.proto';

export const GOBGP_LOADER_OPTIONS = {
  keepCase: false,
  // 64-bit integers as strings: counters and timestamps can exceed 2^53, and a string never loses a digit.
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [GOBGP_PROTO_ROOT],
} satisfies Options;

/** The same options as proto-loader-gen-types flags. */
export const GOBGP_GEN_TYPES_FLAGS = ['--longs=String', '--enums=String', '--defaults', '--oneofs'];
