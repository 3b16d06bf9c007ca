#!/usr/bin/env node
// The bng-bgp command: `run` (the per-node operator) and `version`.
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { pino } from 'pino';
import { startManager } from '../controllers/manager.ts';

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

if (import.meta.main) await buildCli().parseAsync();
