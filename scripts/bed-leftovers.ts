// Before a test run: releases what killed bed processes left behind (--sweep).
// After it: fails when any bed namespace, host link or process is still there (--check).
import { sweepOrphans } from '../test/bed/ledger.ts';
import { findLeftovers } from '../test/bed/leftovers.ts';

const mode = process.argv[2];
if (mode === '--sweep') {
  const released = sweepOrphans();
  if (released > 0) console.error(`==> released ${released} resources left by earlier, killed bed processes`);
} else if (mode === '--check') {
  const left = await findLeftovers();
  const all = [
    ...left.namespaces.map((n) => `netns ${n}`),
    ...left.links.map((l) => `link ${l}`),
    ...left.processes,
  ];
  if (all.length > 0) {
    console.error(`ERROR: the tests left these behind:\n  ${all.join('\n  ')}`);
    process.exit(1);
  }
  console.error('==> no namespace, link or process left behind');
} else {
  console.error('usage: node scripts/bed-leftovers.ts --sweep | --check');
  process.exit(2);
}
