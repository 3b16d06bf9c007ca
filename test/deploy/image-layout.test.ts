// The image's file layout without Docker: compile with tsconfig.build.json and place package.json
// and the .proto files where the Dockerfile's runtime stage puts them, then run the CLI from there
// as the ENTRYPOINT and the gobgpd preStop do. Catches paths that only work from the source tree.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
let app: string;

before(async () => {
  app = mkdtempSync(`${tmpdir()}/bng-bgp-image-`);
  await run(process.execPath, [
    `${REPO}node_modules/typescript/bin/tsc`,
    '-p',
    `${REPO}tsconfig.build.json`,
    '--outDir',
    `${app}/dist`,
  ]);
  // As in the Dockerfile's runtime stage.
  cpSync(`${REPO}gen/proto`, `${app}/dist/gen/proto`, { recursive: true });
  cpSync(`${REPO}package.json`, `${app}/dist/package.json`);
  symlinkSync(`${REPO}node_modules`, `${app}/node_modules`);
});
after(() => {
  if (app) rmSync(app, { recursive: true, force: true });
});

const cli = (...args: string[]) =>
  run(process.execPath, ['--max-old-space-size=256', `${app}/dist/src/cli/main.js`, ...args]);

test('the built CLI runs from the image layout: version, crds, and stop-bgp reaching for GoBGP', async () => {
  assert.match((await cli('version')).stdout.trim(), /^\d+\.\d+\.\d+$/);
  assert.equal((await cli('crds')).stdout.match(/^kind: CustomResourceDefinition$/gm)?.length, 7);
  // The GoBGP client loads its .proto files: with no gobgpd there, the failure is the connection's.
  const failed = await cli('stop-bgp', '--gobgp', `unix://${app}/no-such.sock`).then(
    () => ({ code: 0, stderr: '' }),
    (err: { code?: number; stderr?: string }) => err,
  );
  assert.equal(failed.code, 1);
  assert.match(failed.stderr ?? '', /^bng-bgp: .*(UNAVAILABLE|No connection|ENOENT|connect)/i);
  assert.doesNotMatch(failed.stderr ?? '', /\n\s+at /, 'one line, no stack trace');
});
