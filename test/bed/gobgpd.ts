// A gobgpd on a BNG node: started unconfigured (the operator configures it over gRPC), with its
// gRPC API on a unix socket in the node's directory. The socket is reachable from the host
// namespace where tests run, and exposes no TCP port at all (GoBGP's API has no authentication).
import { existsSync } from 'node:fs';
import { startDaemon, type Daemon } from './process.ts';
import { tools } from './tools.ts';

export interface Gobgpd {
  daemon: Daemon;
  /** gRPC target for @grpc/grpc-js, for example unix:///tmp/.../gobgp.sock */
  target: string;
  socketPath: string;
}

export async function startGobgpd(opts: { name: string; netns: string; dir: string }): Promise<Gobgpd> {
  const socketPath = `${opts.dir}/gobgp.sock`;
  const daemon = startDaemon({
    name: `${opts.name}/gobgpd`,
    netns: opts.netns,
    command: tools.gobgpd,
    // No pprof and no metrics listener (gobgpd opens localhost:6060 for its metrics unless the path
    // is empty): its API is the unix socket, nothing else listens but BGP.
    args: [
      `--api-hosts=unix://${socketPath}`,
      '--pprof-disable',
      '--metrics-path=',
      '--log-plain',
      '--log-level=info',
    ],
    logFile: `${opts.dir}/gobgpd.log`,
  });
  await daemon.waitUntil('gRPC socket', () => (existsSync(socketPath) ? true : undefined));
  return { daemon, target: `unix://${socketPath}`, socketPath };
}
