// BGPConfigurations with nodeEndpoint.create -> one BGPEndpoint per covered node, named after the
// node: address = the Node's InternalIP of the chosen family, AS = the configuration's, nodeName
// set, labels from the configuration. Pure; the leader applies the result. A name already taken by
// an endpoint the operator does not manage is left alone and reported.
import type { V1Node } from '@kubernetes/client-node';
import type { BGPConfiguration, BGPEndpoint } from '../api/types.ts';
import type { Diagnostic } from '../compile/model.ts';
import { matches } from '../compile/selectors.ts';

export const NODE_ENDPOINT_LABEL = 'bgp.bng-edge.io/node-endpoint-of';

export function generateNodeEndpoints(
  configurations: readonly BGPConfiguration[],
  nodes: readonly V1Node[],
  existing: readonly BGPEndpoint[],
): { endpoints: BGPEndpoint[]; diagnostics: Diagnostic[] } {
  const endpoints: BGPEndpoint[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const config of configurations) {
    const auto = config.spec.nodeEndpoint;
    if (!auto?.create) continue;
    const name = config.metadata.name ?? '';
    const v6 = (auto.addressFamily ?? 'IPv4') === 'IPv6';
    for (const node of nodes.filter((n) => matches(config.spec.nodeSelector, n.metadata?.labels))) {
      const nodeName = node.metadata?.name ?? '';
      const address = node.status?.addresses?.find(
        (a) => a.type === 'InternalIP' && a.address.includes(':') === v6,
      )?.address;
      const taken = existing.find(
        (e) => e.metadata.name === nodeName && e.metadata.labels?.[NODE_ENDPOINT_LABEL] !== name,
      );
      if (taken) {
        diagnostics.push({
          kind: 'BGPConfiguration',
          name,
          reason: 'EndpointNameTaken',
          message: `BGPEndpoint ${nodeName} exists and is not managed by this configuration; it is used as it is`,
        });
        continue;
      }
      if (!address) {
        diagnostics.push({
          kind: 'BGPConfiguration',
          name,
          reason: 'NoNodeAddress',
          message: `node ${nodeName} has no ${auto.addressFamily ?? 'IPv4'} InternalIP for its endpoint`,
        });
        continue;
      }
      endpoints.push({
        apiVersion: 'bgp.bng-edge.io/v1alpha1',
        kind: 'BGPEndpoint',
        metadata: {
          name: nodeName,
          labels: { ...auto.labels, [NODE_ENDPOINT_LABEL]: name },
          ownerReferences: [
            {
              apiVersion: 'bgp.bng-edge.io/v1alpha1',
              kind: 'BGPConfiguration',
              name,
              uid: config.metadata.uid ?? '',
              controller: true,
            },
          ],
        },
        spec: { address, asNumber: config.spec.asNumber, nodeName },
      });
    }
  }
  return { endpoints, diagnostics };
}
