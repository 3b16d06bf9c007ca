// A real Kubernetes control plane for tests: etcd, kube-apiserver and kube-controller-manager
// (namespace deletion, garbage collection, service-account tokens), all as local processes with
// ephemeral ports, token auth and a kubeconfig in a temp dir.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { forget, record, sweepOrphans, type LedgerEntry } from './ledger.ts';
import { startDaemon, type Daemon } from './process.ts';
import { tools } from './tools.ts';
import { run } from './netns.ts';
import type { WaitOptions } from './wait.ts';

export interface ControlPlaneOptions {
  /**
   * Address kube-apiserver listens on (default 127.0.0.1). To let node namespaces reach it, pass
   * the management address of a topology (Topology.managementAddress).
   */
  address?: string;
  /** Also run kube-controller-manager (default true). */
  controllerManager?: boolean;
  /** Readiness deadline per component (default 120 s: a cold apiserver on 2 cores is slow). */
  startTimeoutMs?: number;
}

export interface ControlPlane {
  /** https://ADDRESS:PORT */
  server: string;
  /** Path of a kubeconfig with an admin (system:masters) token. */
  kubeconfigPath: string;
  /** The admin bearer token. */
  token: string;
  dir: string;
  /** Process ids of the components (etcd, kube-apiserver, kube-controller-manager). */
  pids: number[];
  /** Writes a kubeconfig for another bearer token (a ServiceAccount's) and returns its path. */
  kubeconfigFor(token: string, name: string): string;
  /** Runs the provisioned kubectl against this control plane and returns its stdout. */
  kubectl(args: string[], input?: string): Promise<string>;
  /**
   * Stops kube-apiserver (etcd keeps the data), runs `whileDown`, starts it again on the same
   * address, port and certificates and waits until it is ready: an apiserver outage.
   */
  restartApiserver(whileDown?: () => Promise<void>): Promise<void>;
  /** Stops every component and removes the directory; safe to call twice. */
  stop(): Promise<void>;
}

/** A free TCP port on `address`, found by binding port 0. */
export function freePort(address = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, address, () => {
      const addr = server.address();
      server.close(() =>
        typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Resolves true on a 2xx answer, undefined otherwise (a readiness probe for waitFor). */
function httpOk(url: string): Promise<true | undefined> {
  const get = url.startsWith('https:') ? httpsGet : httpGet;
  return new Promise((resolve, reject) => {
    // Self-signed serving certificate: the readiness probe skips verification; clients use the CA.
    const req = get(url, { rejectUnauthorized: false, timeout: 5_000 }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(code >= 200 && code < 300 ? true : undefined);
    });
    req.once('timeout', () => req.destroy(new Error(`${url}: no answer in 5 s`)));
    req.once('error', reject);
  });
}

function kubeconfig(server: string, ca: string, token: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'bed', cluster: { server, 'certificate-authority-data': Buffer.from(ca).toString('base64') } },
    ],
    users: [{ name: 'admin', user: { token } }],
    contexts: [{ name: 'bed', context: { cluster: 'bed', user: 'admin' } }],
    'current-context': 'bed',
  });
}

export async function startControlPlane(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  sweepOrphans();
  const address = opts.address ?? '127.0.0.1';
  const wait: WaitOptions = { timeoutMs: opts.startTimeoutMs ?? 120_000, intervalMs: 250 };
  const dir = mkdtempSync(`${tmpdir()}/bngbed-cp-`);
  const dirEntry: LedgerEntry = { kind: 'dir', path: dir };
  record(dirEntry);
  const daemons: Daemon[] = [];
  const stop = async (): Promise<void> => {
    for (const d of [...daemons].reverse()) await d.stop();
    forget(dirEntry);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort(address)];
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const etcd = startDaemon({
      name: 'etcd',
      command: tools.etcd,
      logFile: `${dir}/etcd.log`,
      args: [
        `--data-dir=${dir}/etcd`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
        `--initial-cluster=default=http://127.0.0.1:${peerPort}`,
        '--unsafe-no-fsync=true', // test data: durability is not worth the latency
        '--log-level=warn',
      ],
    });
    daemons.push(etcd);
    await etcd.waitUntil('healthy', () => httpOk(`${etcdUrl}/health`), wait);

    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(`${dir}/sa.key`, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const token = randomBytes(24).toString('hex');
    writeFileSync(`${dir}/tokens.csv`, `${token},admin,admin,"system:masters"\n`);
    const server = `https://${address}:${apiPort}`;
    const startApiserver = (): Daemon =>
      startDaemon({
        name: 'kube-apiserver',
        command: tools.kubeApiserver,
        logFile: `${dir}/kube-apiserver.log`,
        args: [
          `--etcd-servers=${etcdUrl}`,
          `--cert-dir=${dir}/pki`,
          `--secure-port=${apiPort}`,
          `--bind-address=${address}`,
          `--advertise-address=${address}`,
          '--service-cluster-ip-range=10.0.0.0/24',
          `--service-account-issuer=${server}/`,
          `--service-account-key-file=${dir}/sa.key`,
          `--service-account-signing-key-file=${dir}/sa.key`,
          '--authorization-mode=RBAC',
          `--token-auth-file=${dir}/tokens.csv`,
          '--allow-privileged=true',
          '--v=1',
        ],
      });
    let apiserver = startApiserver();
    daemons.push(apiserver);
    await apiserver.waitUntil('ready', () => httpOk(`${server}/readyz`), wait);
    const ca = readFileSync(`${dir}/pki/apiserver.crt`, 'utf8');
    const kubeconfigPath = `${dir}/kubeconfig`;
    writeFileSync(kubeconfigPath, kubeconfig(server, ca, token), { mode: 0o600 });

    if (opts.controllerManager ?? true) {
      const kcm = startDaemon({
        name: 'kube-controller-manager',
        command: tools.kubeControllerManager,
        logFile: `${dir}/kube-controller-manager.log`,
        args: [
          `--kubeconfig=${kubeconfigPath}`,
          '--controllers=namespace-controller,garbage-collector-controller,serviceaccount-controller,serviceaccount-token-controller',
          `--service-account-private-key-file=${dir}/sa.key`,
          `--root-ca-file=${dir}/pki/apiserver.crt`,
          '--use-service-account-credentials=false',
          '--leader-elect=false',
          '--bind-address=127.0.0.1',
          `--secure-port=${await freePort()}`,
          '--v=1',
        ],
      });
      daemons.push(kcm);
      // Ready once it has created the default ServiceAccount in the default namespace.
      await kcm.waitUntil(
        'default service account created',
        async () =>
          (await kubectlRun(kubeconfigPath, ['get', 'sa', 'default', '-o', 'name'])).trim()
            ? true
            : undefined,
        wait,
      );
    }

    return {
      server,
      kubeconfigPath,
      token,
      dir,
      pids: daemons.map((d) => d.pid),
      kubeconfigFor(other, name) {
        const path = `${dir}/kubeconfig-${name}`;
        writeFileSync(path, kubeconfig(server, ca, other), { mode: 0o600 });
        return path;
      },
      kubectl: (args, input) => kubectlRun(kubeconfigPath, args, input),
      async restartApiserver(whileDown) {
        await apiserver.stop();
        await whileDown?.();
        const fresh = startApiserver();
        daemons[daemons.indexOf(apiserver)] = fresh;
        apiserver = fresh;
        await fresh.waitUntil('ready again', () => httpOk(`${server}/readyz`).catch(() => undefined), wait);
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function kubectlRun(kubeconfigPath: string, args: string[], input?: string): Promise<string> {
  return run(
    tools.kubectl,
    [`--kubeconfig=${kubeconfigPath}`, ...args],
    input === undefined ? {} : { input },
  );
}
