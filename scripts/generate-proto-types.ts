// Generates TypeScript types for the GoBGP gRPC API from the .proto files that
// scripts/build-gobgp.sh copied out of the pinned GoBGP module. Output: gen/ts/gobgp (gitignored).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GOBGP_GEN_TYPES_FLAGS, GOBGP_PROTO_FILE, GOBGP_PROTO_ROOT } from '../src/gobgp/proto-options.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const outDir = `${repo}gen/ts/gobgp`;
const stamp = `${outDir}/VERSION`;
const protoVersionFile = `${GOBGP_PROTO_ROOT}VERSION`;

if (!existsSync(protoVersionFile)) {
  console.error('ERROR: no GoBGP .proto files in gen/proto/gobgp: run scripts/build-gobgp.sh first');
  process.exit(1);
}
const version = readFileSync(protoVersionFile, 'utf8').trim();
if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === version) {
  console.error(`==> GoBGP v${version} TypeScript types are up to date`);
  process.exit(0);
}
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
execFileSync(
  `${repo}node_modules/.bin/proto-loader-gen-types`,
  [
    ...GOBGP_GEN_TYPES_FLAGS,
    '--grpcLib=@grpc/grpc-js',
    `--includeDirs=${GOBGP_PROTO_ROOT}`,
    `--outDir=${outDir}`,
    '--inputTemplate=%s',
    '--outputTemplate=%s__Output',
    GOBGP_PROTO_FILE,
  ],
  { stdio: 'inherit' },
);
// The generator writes extensionless relative imports; ESM under nodenext needs the file's own name.
for (const entry of readdirSync(outDir, { recursive: true, encoding: 'utf8' })) {
  if (!entry.endsWith('.ts')) continue;
  const file = `${outDir}/${entry}`;
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.replace(/from '(\.{1,2}\/[^']+)'/g, "from '$1.ts'"));
}
writeFileSync(stamp, `${version}\n`);
console.error(`==> generated GoBGP v${version} TypeScript types in gen/ts/gobgp`);
