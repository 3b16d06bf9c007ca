// Thin, promise-based wrappers around iproute2 for the bed's namespaces and links.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { forget, record, releaseSync, type LedgerEntry } from './ledger.ts';

const execFileAsync = promisify(execFile);

/** Runs a command and returns its stdout; the error names the command and carries its stderr. */
export async function run(command: string, args: string[], opts: { input?: string } = {}): Promise<string> {
  try {
    const child = execFileAsync(command, args, { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
    if (opts.input !== undefined) child.child.stdin?.end(opts.input);
    const { stdout } = await child;
    return stdout;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new Error(`${command} ${args.join(' ')} failed: ${stderr || (err as Error).message}`, {
      cause: err,
    });
  }
}

/** `ip` in the host namespace, or inside `netns` when given. */
export function ip(args: string[], netns?: string): Promise<string> {
  return run('ip', netns ? ['-n', netns, ...args] : args);
}

/** Runs a program inside a namespace. */
export function execIn(netns: string, command: string, args: string[]): Promise<string> {
  return run('ip', ['netns', 'exec', netns, command, ...args]);
}

/** A namespace recorded in the ledger, with loopback up. */
export async function createNetns(name: string): Promise<LedgerEntry> {
  const entry: LedgerEntry = { kind: 'netns', name };
  record(entry);
  await ip(['netns', 'add', name]);
  await ip(['link', 'set', 'lo', 'up'], name);
  return entry;
}

/** Kills whatever still runs inside, deletes the namespace and drops it from the ledger. */
export function destroy(entry: LedgerEntry): void {
  releaseSync(entry);
  forget(entry);
}

export async function listNetns(): Promise<string[]> {
  const out = await ip(['-j', 'netns', 'list']);
  const list = out.trim() ? (JSON.parse(out) as { name: string }[]) : [];
  return list.map((n) => n.name);
}

export interface KernelRoute {
  dst: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
  metric?: number;
  table?: string;
  nexthops?: { gateway?: string; dev?: string; weight?: number }[];
  [key: string]: unknown;
}

/**
 * The kernel routes of a namespace as `ip -j route show` reports them. A table that never held a
 * route of the family does not exist yet: it has no routes (iproute2 reports an error instead).
 */
export async function kernelRoutes(
  netns: string,
  opts: { family?: 4 | 6; table?: string | number; protocol?: string | number } = {},
): Promise<KernelRoute[]> {
  const args = [`-${opts.family ?? 4}`, '-j', 'route', 'show', 'table', String(opts.table ?? 'main')];
  if (opts.protocol !== undefined) args.push('proto', String(opts.protocol));
  const out = await ip(args, netns).catch((err: unknown) => {
    if (String(err).includes('FIB table does not exist')) return '';
    throw err;
  });
  return out.trim() ? (JSON.parse(out) as KernelRoute[]) : [];
}
