// Where the provisioned binaries live. Versions come from scripts/versions.env, the one file the
// provisioning scripts read too, so the bed can never run a binary other than the pinned one.
import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';

export const REPO_DIR = fileURLToPath(new URL('../../', import.meta.url));

function readVersions(): Record<string, string> {
  const text = readFileSync(`${REPO_DIR}scripts/versions.env`, 'utf8');
  const entries = text
    .split('\n')
    .map((line) => /^([A-Z_]+)=(\S+)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1], m[2]] as [string, string]);
  return Object.fromEntries(entries);
}

const versions = readVersions();
const cacheDir = process.env.BNG_BGP_CACHE ?? `${homedir()}/.cache/bng-bgp`;

function version(key: string): string {
  const v = versions[key];
  if (v === undefined) throw new Error(`scripts/versions.env has no ${key}`);
  return v;
}

function provisioned(path: string): string {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(`${path} is missing: run scripts/provision.sh to build the test bed's binaries`);
  }
  return path;
}

const kube = `${cacheDir}/kubernetes/${version('KUBERNETES_VERSION')}`;
const gobgp = `${cacheDir}/gobgp/${version('GOBGP_VERSION')}/bin`;

/** Absolute paths of the bed's binaries; each getter fails with a clear message when unprovisioned. */
export const tools = {
  get etcd() {
    return provisioned(`${cacheDir}/etcd/${version('ETCD_VERSION')}/etcd`);
  },
  get kubeApiserver() {
    return provisioned(`${kube}/kube-apiserver`);
  },
  get kubeControllerManager() {
    return provisioned(`${kube}/kube-controller-manager`);
  },
  get kubectl() {
    return provisioned(`${kube}/kubectl`);
  },
  get gobgpd() {
    return provisioned(`${gobgp}/gobgpd`);
  },
  get gobgp() {
    return provisioned(`${gobgp}/gobgp`);
  },
  get chainsaw() {
    return provisioned(`${cacheDir}/chainsaw/${version('CHAINSAW_VERSION')}/bin/chainsaw`);
  },
  frrDaemon(name: 'zebra' | 'bgpd' | 'bfdd'): string {
    return provisioned(`/usr/lib/frr/${name}`);
  },
  get vtysh() {
    return provisioned('/usr/bin/vtysh');
  },
  get bird() {
    return provisioned('/usr/sbin/bird');
  },
  get birdc() {
    return provisioned('/usr/sbin/birdc');
  },
};
