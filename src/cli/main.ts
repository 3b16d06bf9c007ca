#!/usr/bin/env node
// The bng-bgp command. Today: `version`. The operator's `run`, `status`, `lab` and `crds`
// commands join it as their issues land.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export function buildCli(): Command {
  const program = new Command('bng-bgp').description('Kubernetes BGP operator for BNG edge nodes');
  program
    .command('version')
    .description('print the version of bng-bgp')
    .action(() => console.log(pkg.version));
  return program;
}

if (import.meta.main) await buildCli().parseAsync();
