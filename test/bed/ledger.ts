// The ledger of everything the bed creates: process groups, network namespaces, host links and
// directories. It lives in memory and is mirrored to a file named after this process, so that
//  - a normal teardown releases its own entries and removes them from the ledger;
//  - SIGINT, SIGTERM or process exit releases whatever is left, synchronously;
//  - sweepOrphans() releases the ledgers of bed processes that died without cleaning up (SIGKILL).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

export type LedgerEntry =
  | { kind: 'process'; pgid: number; label: string }
  | { kind: 'netns'; name: string }
  | { kind: 'link'; name: string }
  | { kind: 'dir'; path: string };

/** Every bed namespace and host link name starts with this, so leftovers are recognisable. */
export const BED_PREFIX = 'bngbed';

const ledgerDir = `${tmpdir()}/bng-bgp-bed/ledgers`;
const entries: LedgerEntry[] = [];
let ownerStart: string | undefined;
let handlersInstalled = false;

function processStartTime(pid: number): string | undefined {
  try {
    // Field 22 of /proc/PID/stat (after the parenthesised command name) tells a reused pid apart.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function ledgerFile(pid: number): string {
  return `${ledgerDir}/${pid}.json`;
}

function persist(): void {
  mkdirSync(ledgerDir, { recursive: true });
  ownerStart ??= processStartTime(process.pid);
  if (entries.length === 0) rmSync(ledgerFile(process.pid), { force: true });
  else writeFileSync(ledgerFile(process.pid), JSON.stringify({ start: ownerStart, entries }));
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => releaseAllSync());
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      releaseAllSync();
      process.exit(code);
    });
  }
}

export function record(entry: LedgerEntry): void {
  installHandlers();
  entries.push(entry);
  persist();
}

export function forget(entry: LedgerEntry): void {
  const i = entries.indexOf(entry);
  if (i >= 0) entries.splice(i, 1);
  persist();
}

function quietly(cmd: string, args: string[]): void {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
  } catch {
    // already gone
  }
}

/** SIGKILL to a pid, or to a whole process group when given its negated id. */
function kill(target: number): void {
  try {
    process.kill(target, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Releases one entry at once, with no grace period: the path for interrupts and orphans. */
export function releaseSync(entry: LedgerEntry): void {
  switch (entry.kind) {
    case 'process':
      kill(-entry.pgid);
      break;
    case 'netns': {
      let pids = '';
      try {
        pids = execFileSync('ip', ['netns', 'pids', entry.name], { encoding: 'utf8' });
      } catch {
        // no such namespace
      }
      for (const pid of pids.split(/\s+/).filter(Boolean)) kill(Number(pid));
      quietly('ip', ['netns', 'delete', entry.name]);
      break;
    }
    case 'link':
      quietly('ip', ['link', 'delete', entry.name]);
      break;
    case 'dir':
      rmSync(entry.path, { recursive: true, force: true });
      break;
  }
}

/** Processes before namespaces before links before directories: each may hold the next. */
const releaseOrder: LedgerEntry['kind'][] = ['process', 'netns', 'link', 'dir'];

function releaseInOrder(list: LedgerEntry[]): void {
  for (const kind of releaseOrder) for (const e of list.filter((x) => x.kind === kind)) releaseSync(e);
}

export function releaseAllSync(): void {
  releaseInOrder(entries.splice(0));
  persist();
}

/**
 * Releases what bed processes that no longer run left behind. Safe to call at any time from any
 * number of processes: a live owner's ledger is never touched. Returns how many entries it released.
 */
export function sweepOrphans(): number {
  let released = 0;
  let files: string[];
  try {
    files = readdirSync(ledgerDir);
  } catch {
    return 0;
  }
  for (const file of files) {
    const pid = Number(file.replace(/\.json$/, ''));
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let ledger: { start?: string; entries: LedgerEntry[] };
    try {
      ledger = JSON.parse(readFileSync(`${ledgerDir}/${file}`, 'utf8')) as typeof ledger;
    } catch {
      continue; // being written right now
    }
    const alive = ledger.start !== undefined && processStartTime(pid) === ledger.start;
    if (alive) continue;
    releaseInOrder(ledger.entries);
    released += ledger.entries.length;
    rmSync(`${ledgerDir}/${file}`, { force: true });
  }
  return released;
}
