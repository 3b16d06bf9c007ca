// Daemons the bed starts: each in its own process group (so a stop reaches its children too),
// output in a log file, recorded in the ledger until stopped, and observed for early death so a
// readiness wait fails at once with the daemon's last words instead of timing out.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { forget, record, type LedgerEntry } from './ledger.ts';
import { GiveUp, waitFor, type WaitOptions } from './wait.ts';

export interface DaemonSpec {
  /** Short name for messages, for example "etcd" or "bng1/gobgpd". */
  name: string;
  command: string;
  args: string[];
  logFile: string;
  /** Run inside this network namespace (through `ip netns exec`). */
  netns?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface Daemon {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Exit code or signal once the process has ended, undefined while it runs. */
  readonly exit: string | undefined;
  /** Waits for `probe` to return a value, failing at once if the daemon dies meanwhile. */
  waitUntil<T>(
    what: string,
    probe: () => Promise<T | undefined> | T | undefined,
    opts?: WaitOptions,
  ): Promise<T>;
  /** `signal` (default SIGTERM), then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number, signal?: NodeJS.Signals): Promise<void>;
  /** SIGKILL at once: a crash, as tests of restart handling need. */
  kill(): Promise<void>;
}

export function logTail(logFile: string, lines = 20): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export function startDaemon(spec: DaemonSpec): Daemon {
  const [command, args] = spec.netns
    ? ['ip', ['netns', 'exec', spec.netns, spec.command, ...spec.args]]
    : [spec.command, spec.args];
  const log = openSync(spec.logFile, 'a');
  const child = spawn(command, args, {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    detached: true, // own process group, and no SIGINT from the terminal: the ledger stops it
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  if (child.pid === undefined) throw new Error(`could not start ${spec.name} (${spec.command})`);
  const pid = child.pid;
  const entry: LedgerEntry = { kind: 'process', pgid: pid, label: spec.name };
  record(entry);

  let exit: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = signal ?? `code ${code}`;
      forget(entry);
      resolve();
    });
    child.once('error', (err) => {
      exit = err.message;
      forget(entry);
      resolve();
    });
  });
  child.unref();

  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };

  return {
    name: spec.name,
    pid,
    logFile: spec.logFile,
    get exit() {
      return exit;
    },
    waitUntil(what, probe, opts) {
      return waitFor(
        `${spec.name}: ${what}`,
        () => {
          if (exit !== undefined) {
            throw new GiveUp(`${spec.name} exited (${exit}); last log lines:\n${logTail(spec.logFile)}`);
          }
          return probe();
        },
        opts,
      );
    },
    async stop(graceMs = 10_000, signal: NodeJS.Signals = 'SIGTERM') {
      if (exit !== undefined) return;
      signalGroup(signal);
      if (await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)])) return;
      signalGroup('SIGKILL');
      await exited;
    },
    async kill() {
      signalGroup('SIGKILL');
      await exited;
    },
  };
}
