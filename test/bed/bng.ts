// The BNG side of the bench: our test server of the BNG agent pool API in a node's namespace (at
// the default 127.0.0.1:9090, where bng-bgp looks), and the Nexus stand-in on the management
// network, which every node reaches like the kube-apiserver.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AgentState } from './bng-agent-server.ts';
import { startDaemon, type Daemon } from './process.ts';
import type { BngNode } from './topology.ts';

export type { AgentState };
const AGENT = fileURLToPath(new URL('./bng-agent-server.ts', import.meta.url));
const NEXUS = fileURLToPath(new URL('./nexus-server.ts', import.meta.url));

/** Rewrites the state the node's test agent serves (atomically: it is read on every request). */
export function setAgentState(node: BngNode, state: AgentState): void {
  const file = `${node.dir}/bng-agent.json`;
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}

export async function startBngAgent(node: BngNode, state?: AgentState): Promise<Daemon> {
  if (state) setAgentState(node, state);
  const agent = startDaemon({
    name: `${node.name}/bng-agent`,
    netns: node.netns,
    command: process.execPath,
    args: [AGENT, '--listen', '127.0.0.1:9090', '--state', `${node.dir}/bng-agent.json`],
    logFile: `${node.dir}/bng-agent.log`,
  });
  await agent.waitUntil('the BNG agent API listens', () =>
    readFileSync(agent.logFile, 'utf8').includes('bng agent API on') ? true : undefined,
  );
  return agent;
}

export interface Nexus {
  daemon: Daemon;
  url: string;
  post(path: string, body: unknown): Promise<unknown>;
  delete(path: string): Promise<void>;
}

export async function startNexus(address: string, dir: string): Promise<Nexus> {
  const daemon = startDaemon({
    name: 'nexus',
    command: process.execPath,
    args: [NEXUS, '--listen', `${address}:0`],
    logFile: `${dir}/nexus.log`,
  });
  const port = await daemon.waitUntil(
    'nexus listens',
    () => /nexus REST on [^:]+:(\d+)/.exec(readFileSync(daemon.logFile, 'utf8'))?.[1],
  );
  const url = `http://${address}:${port}`;
  return {
    daemon,
    url,
    async post(path, body) {
      const res = await fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body) });
      if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    },
    async delete(path) {
      const res = await fetch(`${url}${path}`, { method: 'DELETE' });
      if (res.status !== 204) throw new Error(`DELETE ${path}: ${res.status}`);
    },
  };
}
