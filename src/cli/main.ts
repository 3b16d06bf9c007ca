#!/usr/bin/env node
// The bng-bgp command: `run` (the per-node operator), `status` (every node at a glance), `crds`
// (print or apply the CRDs), `stop-bgp` (the gobgpd preStop), `lab` and `version`. A failure is one
// line on stderr and exit code 1.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { pino } from 'pino';
import { startManager } from '../controllers/manager.ts';
import { GobgpClient } from '../gobgp/client.ts';
import { applyCrds, crdStream } from './crds.ts';
import { readNodeStates, renderStatus } from './status.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

interface RunFlags {
  nodeName: string;
  kubeconfig?: string;
  gobgp: string;
  secretNamespace: string[];
  leaseNamespace: string;
  leaseDuration: string;
  logLevel: string;
  httpAddress: string;
}

export function buildCli(): Command {
  const program = new Command('bng-bgp').description('Kubernetes BGP operator for BNG edge nodes');
  program
    .command('version')
    .description('print the version of bng-bgp')
    .action(() => console.log(pkg.version));
  program
    .command('status')
    .description('speakers, peers, FIB and BNG pools of every node, from their BGPNodeStates')
    .addOption(new Option('--kubeconfig <path>', 'kubeconfig (default: in-cluster or $KUBECONFIG)'))
    .addOption(new Option('--node <name>', 'only this node'))
    .addOption(
      new Option('-o, --output <format>', 'table or json').choices(['table', 'json']).default('table'),
    )
    .action(async (o: { kubeconfig?: string; node?: string; output: string }) => {
      const states = (await readNodeStates(o.kubeconfig)).filter(
        (s) => !o.node || s.metadata.name === o.node,
      );
      if (o.node && states.length === 0) throw new Error(`no BGPNodeState for node ${o.node}`);
      process.stdout.write(
        o.output === 'json'
          ? `${JSON.stringify(
              states.map((s) => ({ node: s.metadata.name, ...s.status })),
              null,
              2,
            )}\n`
          : renderStatus(states),
      );
    });
  program
    .command('stop-bgp')
    .description(
      "stop GoBGP's BGP server without a NOTIFICATION to graceful-restart peers, so they keep this node's routes as stale until the next gobgpd sends them again (the gobgpd container's preStop)",
    )
    .addOption(
      new Option('--gobgp <target>', 'GoBGP gRPC target')
        .env('GOBGP_TARGET')
        .default('unix:///run/gobgp/gobgp.sock'),
    )
    .action(async (o: { gobgp: string }) => {
      const client = new GobgpClient(o.gobgp);
      try {
        await client.stopBgp(true);
        console.log('BGP stopped for a graceful restart: peers keep the routes as stale');
      } finally {
        client.close();
      }
    });
  program
    .command('lab')
    .description(
      'the local lab from a source checkout (scripts/lab.sh): control plane, three BNG nodes, two cores, the site applied',
    )
    .addOption(new Option('--once', 'print the converged lab, tear it down and exit (0: converged)'))
    .action((o: { once?: boolean }) => {
      const script = fileURLToPath(new URL('../../scripts/lab.sh', import.meta.url));
      if (!existsSync(script))
        throw new Error('the lab runs from a source checkout: scripts/lab.sh is not here');
      const run = spawnSync('bash', [script, ...(o.once ? ['--once'] : [])], { stdio: 'inherit' });
      process.exitCode = run.status ?? 1;
    });
  program
    .command('crds')
    .description('print the CustomResourceDefinitions as YAML, or apply them (--apply)')
    .addOption(new Option('--apply', 'server-side apply them to the cluster'))
    .addOption(new Option('--kubeconfig <path>', 'kubeconfig (default: in-cluster or $KUBECONFIG)'))
    .action(async (o: { apply?: boolean; kubeconfig?: string }) => {
      if (!o.apply) return void process.stdout.write(crdStream());
      for (const name of await applyCrds(o.kubeconfig))
        console.log(`customresourcedefinition ${name} applied`);
    });
  program
    .command('run')
    .description(
      'run the operator for this node: drive its GoBGP, write its BGPNodeState, and lead when elected',
    )
    .addOption(new Option('--node-name <name>', 'this node').env('NODE_NAME').makeOptionMandatory())
    .addOption(new Option('--kubeconfig <path>', 'kubeconfig (default: in-cluster or $KUBECONFIG)'))
    .addOption(
      new Option('--gobgp <target>', 'GoBGP gRPC target')
        .env('GOBGP_TARGET')
        .default('unix:///run/gobgp/gobgp.sock'),
    )
    .addOption(
      new Option('--secret-namespace <ns...>', 'namespaces of MD5 password Secrets').default(['bng-bgp']),
    )
    .addOption(
      new Option('--lease-namespace <ns>', 'namespace of the leader Lease')
        .env('POD_NAMESPACE')
        .default('bng-bgp'),
    )
    .addOption(new Option('--lease-duration <seconds>', 'leader lease duration').default('15'))
    .addOption(new Option('--log-level <level>', 'log level').env('LOG_LEVEL').default('info'))
    .addOption(
      new Option(
        '--http-address <host:port>',
        'where /metrics, /healthz and /readyz are served ("" for nowhere)',
      )
        .env('HTTP_ADDRESS')
        .default('0.0.0.0:9179'),
    )
    .action(async (o: RunFlags) => {
      const log = pino({ level: o.logLevel, base: { node: o.nodeName } });
      const durationMs = Number(o.leaseDuration) * 1000;
      const running = await startManager({
        nodeName: o.nodeName,
        ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}),
        gobgpTarget: o.gobgp,
        secretNamespaces: o.secretNamespace,
        ...(o.httpAddress ? { httpAddress: o.httpAddress } : {}),
        lease: {
          namespace: o.leaseNamespace,
          name: 'bng-bgp-leader',
          durationMs,
          renewDeadlineMs: Math.round(durationMs * 0.66),
          retryPeriodMs: Math.max(500, Math.round(durationMs / 6)),
        },
        log,
      });
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.once(signal, () => {
          log.info({ signal }, 'stopping (GoBGP keeps its sessions)');
          running.stop().then(
            () => process.exit(0),
            (err: unknown) => {
              log.error({ err: String(err) }, 'stop failed');
              process.exit(1);
            },
          );
        });
      }
    });
  return program;
}

/** "Error: x" and stack traces are for developers: a user gets one line saying what failed. */
function oneLine(err: unknown): string {
  // The Kubernetes client puts the apiserver's Status in `body`: its message says what was refused.
  const body = (err as { body?: unknown }).body;
  let apiMessage: string | undefined;
  try {
    const status = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: unknown } | undefined;
    if (typeof status?.message === 'string') apiMessage = status.message;
  } catch {
    // not JSON: fall back to the error's own message
  }
  const code = (err as { code?: unknown }).code;
  const cause = (err as { cause?: { code?: string } }).cause?.code;
  const message = apiMessage ?? (err instanceof Error ? err.message : String(err));
  const detail = cause ?? (typeof code === 'number' ? `HTTP ${code}` : undefined);
  return `${message.split('\n')[0]}${detail && !message.includes(detail) ? ` (${detail})` : ''}`;
}

if (import.meta.main) {
  // `bng-bgp crds | head`: a closed pipe ends the output, it is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    console.error(`bng-bgp: cannot write the output: ${err.message}`);
    process.exit(1);
  });
  await buildCli()
    .parseAsync()
    .catch((err: unknown) => {
      console.error(`bng-bgp: ${oneLine(err)}`);
      process.exit(1);
    });
}
