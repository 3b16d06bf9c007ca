import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('bng-bgp version prints the package version', () => {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const out = execFileSync(process.execPath, [main, 'version'], { encoding: 'utf8' });
  assert.match(out.trim(), /^\d+\.\d+\.\d+$/);
});
