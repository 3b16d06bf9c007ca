// Event-driven observation for the timing benchmarks: routes appearing and leaving a namespace's
// kernel table (`ip monitor route`), links going down and up (`ip monitor link`), best paths appearing and leaving a gobgpd RIB (its WatchEvent
// stream), and a process's CPU time and RSS from /proc. Polling a router CLI every N ms would add
// up to N ms of error to every sample; a monitor timestamps the change as it arrives.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { GobgpClient } from '../src/gobgp/client.ts';
import type { LeanPath } from '../src/gobgp/best-path-decoder.ts';
import { waitFor } from '../test/bed/wait.ts';

export interface Observed {
  /** performance.now() when it arrived. */
  at: number;
  prefix: string;
  /** Gone (a route deleted, a best path withdrawn) rather than there. */
  gone: boolean;
  line: string;
}

/** An append-only log of observations that a trial waits on from a mark. */
class EventLog {
  readonly events: Observed[] = [];

  /** Where the next observation will go: wait from here to ignore everything before. */
  mark(): number {
    return this.events.length;
  }

  /** The first observation at or after `from` for which `match` holds. */
  next(what: string, from: number, match: (e: Observed) => boolean, timeoutMs: number): Promise<Observed> {
    let scanned = from;
    return waitFor(
      what,
      () => {
        for (; scanned < this.events.length; scanned++) {
          const e = this.events[scanned]!;
          if (match(e)) return e;
        }
        return undefined;
      },
      { timeoutMs, intervalMs: 5 },
    );
  }

  /** `prefix` there (gone false) or gone, seen at or after `from`. */
  prefix(prefix: string, gone: boolean, from: number, timeoutMs = 60_000): Promise<Observed> {
    return this.next(
      `${prefix} ${gone ? 'gone' : 'there'}`,
      from,
      (e) => e.prefix === prefix && e.gone === gone,
      timeoutMs,
    );
  }
}

/** `ip monitor OBJECT` in a namespace, each line handed over with the moment it arrived. */
function ipMonitor(netns: string, object: 'route' | 'link', onLine: (line: string, at: number) => void) {
  // -N: protocols as numbers (FRR's rt_protos.d names 196 "static", its own static routes' number).
  const child = spawn('ip', ['-N', '-n', netns, '-4', 'monitor', object], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  createInterface({ input: child.stdout }).on('line', (line) => onLine(line, performance.now()));
  return child;
}

/**
 * `ip monitor route` in a namespace: every IPv4 route added, replaced or deleted in any table,
 * optionally only the lines `keep` accepts (say, `proto 196`; protocols are printed as numbers).
 * The kernel announces no deletion of the routes it flushes with a link going down: see LinkMonitor.
 */
export class RouteMonitor extends EventLog {
  private readonly child: ChildProcess;

  constructor(netns: string, keep: (line: string) => boolean = () => true) {
    super();
    this.child = ipMonitor(netns, 'route', (line, at) => {
      // Continuation lines of a multipath route start with blanks; the first line names the prefix.
      if (/^\s/.test(line) || !keep(line)) return;
      const gone = line.startsWith('Deleted ');
      const words = (gone ? line.slice(8) : line).split(' ');
      const first = words[0] === 'blackhole' || words[0] === 'unreachable' ? words[1] : words[0];
      if (!first || !/^\d/.test(first)) return;
      this.events.push({ at, prefix: first.includes('/') ? first : `${first}/32`, gone, line });
    });
  }

  stop(): void {
    this.child.kill();
  }
}

/** `ip monitor link` in a namespace: an interface (in `prefix`) gone when it lost its UP flag. */
export class LinkMonitor extends EventLog {
  private readonly child: ChildProcess;

  constructor(netns: string) {
    super();
    this.child = ipMonitor(netns, 'link', (line, at) => {
      const m = /^(?:Deleted )?\d+: ([^:@]+)[^<]*<([^>]*)>/.exec(line);
      if (m) this.events.push({ at, prefix: m[1]!, gone: !m[2]!.split(',').includes('UP'), line });
    });
  }

  stop(): void {
    this.child.kill();
  }
}

/** gobgpd's best-path stream: a prefix there when it has a best path, gone when it has none. */
export class RibMonitor extends EventLog {
  private readonly stream: ReturnType<GobgpClient['watchBestPaths']>;

  constructor(client: GobgpClient) {
    super();
    this.stream = client.watchBestPaths(1000);
    this.stream.on('data', (paths: LeanPath[] | undefined) => {
      const at = performance.now();
      for (const p of paths ?? [])
        this.events.push({
          at,
          prefix: `${p.prefix}/${p.prefixLength}`,
          gone: p.withdraw,
          line: `${p.withdraw ? 'withdraw' : 'best'} ${p.prefix}/${p.prefixLength} from ${p.neighborIp || 'local'}`,
        });
    });
    this.stream.on('error', () => undefined); // cancelled on stop, or gobgpd went away
  }

  stop(): void {
    this.stream.cancel();
  }
}

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export interface ProcSample {
  at: number;
  /** utime + stime, in seconds. */
  cpuSeconds: number;
  rssMB: number;
  peakRssMB: number;
}

/** One reading of a process's CPU time and memory. */
export function procSample(pid: number): ProcSample {
  // Fields after the command name, which may itself contain blanks and parentheses.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after "pid (comm)".
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return {
    at: performance.now(),
    cpuSeconds: ticks / CLK_TCK,
    rssMB: Math.round(kb('VmRSS') / 1024),
    peakRssMB: Math.round(kb('VmHWM') / 1024),
  };
}

/** CPU used between two samples, as a percentage of one core. */
export function cpuPercent(before: ProcSample, after: ProcSample): number {
  return (100 * (after.cpuSeconds - before.cpuSeconds)) / ((after.at - before.at) / 1000);
}
