// What the bed may have left on the machine: namespaces, host links and live processes whose name
// or command line carries the bed prefix (every daemon's arguments name its bed directory or
// namespace). Zombies are not counted: this sandbox's init does not
// reap them, and they hold nothing (no socket, no namespace, no file).
import { readFileSync, readdirSync } from 'node:fs';
import { BED_PREFIX } from './ledger.ts';
import { ip, listNetns } from './netns.ts';

export interface Leftovers {
  namespaces: string[];
  links: string[];
  processes: string[];
}

/** Live processes whose command line mentions `prefix`, as "pid name". */
export function bedProcesses(prefix = BED_PREFIX): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (state !== 'Z' && cmdline.includes(prefix) && Number(pid) !== process.pid)
        found.push(`${pid} ${name}`);
    } catch {
      // exited while we looked
    }
  }
  return found;
}

/** Everything of the bed's still present; `prefix` narrows it to one topology id. */
export async function findLeftovers(prefix = BED_PREFIX): Promise<Leftovers> {
  const links = (await ip(['-o', 'link', 'show']))
    .split('\n')
    .map((l) => /^\d+: ([^:@]+)/.exec(l)?.[1] ?? '')
    .filter((name) => name.startsWith(prefix));
  return {
    namespaces: (await listNetns()).filter((n) => n.startsWith(prefix)),
    links,
    processes: bedProcesses(prefix),
  };
}
