// Kubernetes Events for the transitions a network engineer wants to see in `kubectl describe`:
// session up and down, configuration that cannot be used. Events of cluster-scoped objects go to
// the default namespace (as kubectl expects); a repeat of the same event within 10 minutes is not
// recorded again, so a flapping condition cannot flood the apiserver.
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { GROUP, VERSION } from './status-writer.ts';

export interface ObjectRef {
  kind: string;
  name: string;
  uid?: string;
}

export class EventRecorder {
  private readonly api: CoreV1Api;
  private readonly component: string;
  private readonly host: string;
  private readonly log: Logger;
  private readonly recent = new Map<string, number>();

  constructor(kc: KubeConfig, host: string, log: Logger) {
    this.api = kc.makeApiClient(CoreV1Api);
    this.component = 'bng-bgp';
    this.host = host;
    this.log = log;
  }

  record(ref: ObjectRef, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const key = `${ref.kind}/${ref.name}/${reason}/${message}`;
    const now = Date.now();
    if ((this.recent.get(key) ?? 0) > now - 600_000) return;
    this.recent.set(key, now);
    const time = new Date();
    this.api
      .createNamespacedEvent({
        namespace: 'default',
        body: {
          metadata: { generateName: `${ref.name}.` },
          involvedObject: {
            apiVersion: `${GROUP}/${VERSION}`,
            kind: ref.kind,
            name: ref.name,
            ...(ref.uid ? { uid: ref.uid } : {}),
          },
          type,
          reason,
          message,
          source: { component: this.component, host: this.host },
          reportingComponent: this.component,
          reportingInstance: this.host,
          firstTimestamp: time,
          lastTimestamp: time,
          count: 1,
        },
      })
      .catch((err: unknown) => this.log.warn({ err: String(err), reason }, 'could not record event'));
  }
}
