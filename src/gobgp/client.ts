// A typed client for the GoBGP v4 gRPC API. Types are generated from the .proto files of the
// pinned GoBGP version (gen/ts/gobgp); every call carries a deadline and fails with a GobgpError.
import * as grpc from '@grpc/grpc-js';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import type { ProtoGrpcType } from '../../gen/ts/gobgp/gobgp.ts';
import type { GoBgpServiceClient } from '../../gen/ts/gobgp/api/GoBgpService.ts';
import type { Destination__Output } from '../../gen/ts/gobgp/api/Destination.ts';
import type { Global } from '../../gen/ts/gobgp/api/Global.ts';
import type { GetBgpResponse__Output } from '../../gen/ts/gobgp/api/GetBgpResponse.ts';
import type { GetTableResponse__Output } from '../../gen/ts/gobgp/api/GetTableResponse.ts';
import type { Peer, Peer__Output } from '../../gen/ts/gobgp/api/Peer.ts';
import type { ListPathRequest } from '../../gen/ts/gobgp/api/ListPathRequest.ts';
import type { Path } from '../../gen/ts/gobgp/api/Path.ts';
import type { AddPathResponse__Output } from '../../gen/ts/gobgp/api/AddPathResponse.ts';
import type { DefinedSet, DefinedSet__Output } from '../../gen/ts/gobgp/api/DefinedSet.ts';
import type { DefinedType } from '../../gen/ts/gobgp/api/DefinedType.ts';
import type { Policy, Policy__Output } from '../../gen/ts/gobgp/api/Policy.ts';
import type { PolicyAssignment, PolicyAssignment__Output } from '../../gen/ts/gobgp/api/PolicyAssignment.ts';
import type { UpdatePeerResponse__Output } from '../../gen/ts/gobgp/api/UpdatePeerResponse.ts';
import type { WatchEventRequest } from '../../gen/ts/gobgp/api/WatchEventRequest.ts';
import type { WatchEventResponse__Output } from '../../gen/ts/gobgp/api/WatchEventResponse.ts';
import { GOBGP_LOADER_OPTIONS, GOBGP_PROTO_FILE } from './proto-options.ts';
import { toGobgpError } from './errors.ts';
import { decodeBestPathEvent, type LeanPath } from './best-path-decoder.ts';

let definition: PackageDefinition | undefined;
let serviceConstructor: ProtoGrpcType['api']['GoBgpService'] | undefined;

function loadDefinition(): PackageDefinition {
  definition ??= loadSync(GOBGP_PROTO_FILE, GOBGP_LOADER_OPTIONS);
  return definition;
}

function loadService(): ProtoGrpcType['api']['GoBgpService'] {
  serviceConstructor ??= (grpc.loadPackageDefinition(loadDefinition()) as unknown as ProtoGrpcType).api
    .GoBgpService;
  return serviceConstructor;
}

/** The request serializer of one GoBGP method, from the loaded definition. */
function requestSerializer(method: string): (value: object) => Buffer {
  const service = loadDefinition()['api.GoBgpService'] as Record<
    string,
    { requestSerialize: (v: object) => Buffer }
  >;
  const found = service[method];
  if (!found) throw new Error(`GoBGP method ${method} not in the proto definition`);
  return found.requestSerialize;
}

export interface GobgpClientOptions {
  /** Deadline of each call in milliseconds (default 10 s). */
  deadlineMs?: number;
}

export type AddressFamily = 'ipv4-unicast' | 'ipv6-unicast';

/** GoBGP's Family message for each address family we use. */
export const FAMILIES = {
  'ipv4-unicast': { afi: 'AFI_IP', safi: 'SAFI_UNICAST' },
  'ipv6-unicast': { afi: 'AFI_IP6', safi: 'SAFI_UNICAST' },
} as const;

export class GobgpClient {
  readonly target: string;
  /** Write calls made so far, by method: how tests prove that an unchanged state writes nothing. */
  readonly writes = new Map<string, number>();
  private readonly raw: GoBgpServiceClient;
  private readonly deadlineMs: number;

  /** `target` is a gRPC target: "127.0.0.1:50051" or "unix:///run/gobgp/gobgp.sock". */
  constructor(target: string, opts: GobgpClientOptions = {}) {
    this.target = target;
    this.deadlineMs = opts.deadlineMs ?? 10_000;
    const Service = loadService();
    this.raw = new Service(target, grpc.credentials.createInsecure(), {
      // gobgpd is local and restarts in a second: reconnect fast (grpc-js defaults to 1 s .. 120 s).
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 2000,
      // A full table arrives as a million small messages: a 64 KiB HTTP/2 window would make gobgpd
      // wait for a window update every few hundred paths.
      'grpc-node.flow_control_window': 16 << 20,
    });
  }

  close(): void {
    this.raw.close();
  }

  private callOptions(): grpc.CallOptions {
    return { deadline: Date.now() + this.deadlineMs };
  }

  /** Sum of all write calls. */
  get writeCount(): number {
    return [...this.writes.values()].reduce((a, b) => a + b, 0);
  }

  private unary<T>(method: string, start: (cb: grpc.requestCallback<T>) => grpc.ClientUnaryCall): Promise<T> {
    if (!/^(Get|List)/.test(method)) this.writes.set(method, (this.writes.get(method) ?? 0) + 1);
    return new Promise((resolve, reject) => {
      start((err, value) =>
        err || value === undefined ? reject(toGobgpError(method, err)) : resolve(value),
      );
    });
  }

  private async collect<T>(method: string, stream: grpc.ClientReadableStream<T>): Promise<T[]> {
    const items: T[] = [];
    try {
      for await (const item of stream) items.push(item as T);
    } catch (err) {
      throw toGobgpError(method, err);
    }
    return items;
  }

  getBgp(): Promise<GetBgpResponse__Output> {
    return this.unary('GetBgp', (cb) => this.raw.getBgp({}, this.callOptions(), cb));
  }

  async startBgp(global: Global): Promise<void> {
    await this.unary('StartBgp', (cb) => this.raw.startBgp({ global }, this.callOptions(), cb));
  }

  async stopBgp(allowGracefulRestart: boolean): Promise<void> {
    await this.unary('StopBgp', (cb) => this.raw.stopBgp({ allowGracefulRestart }, this.callOptions(), cb));
  }

  async addPeer(peer: Peer): Promise<void> {
    await this.unary('AddPeer', (cb) => this.raw.addPeer({ peer }, this.callOptions(), cb));
  }

  /** Applies a changed peer: live where GoBGP can, else GoBGP resets only this peer. */
  async updatePeer(peer: Peer): Promise<UpdatePeerResponse__Output> {
    return this.unary('UpdatePeer', (cb) =>
      this.raw.updatePeer({ peer, doSoftResetIn: true }, this.callOptions(), cb),
    );
  }

  /** Re-evaluates policies on routes already received (in) or sent (out), for every peer. */
  async softResetAll(direction: 'DIRECTION_IN' | 'DIRECTION_OUT'): Promise<void> {
    await this.unary('ResetPeer', (cb) =>
      this.raw.resetPeer({ address: 'all', soft: true, direction }, this.callOptions(), cb),
    );
  }

  async deletePeer(address: string): Promise<void> {
    await this.unary('DeletePeer', (cb) => this.raw.deletePeer({ address }, this.callOptions(), cb));
  }

  async listPeers(address = ''): Promise<Peer__Output[]> {
    const res = await this.collect('ListPeer', this.raw.listPeer({ address }, this.callOptions()));
    return res.flatMap((r) => (r.peer ? [r.peer] : []));
  }

  /** Destination and path counts of the global RIB for one family. */
  async getTable(family: AddressFamily): Promise<{ destinations: number; paths: number }> {
    const res = await this.unary<GetTableResponse__Output>('GetTable', (cb) =>
      this.raw.getTable({ tableType: 'TABLE_TYPE_GLOBAL', family: FAMILIES[family] }, this.callOptions(), cb),
    );
    return { destinations: Number(res.numDestination), paths: Number(res.numPath) };
  }

  /** Originates a path; returns its uuid (the key to delete it by). */
  async addPath(path: Path): Promise<Buffer> {
    const res = await this.unary<AddPathResponse__Output>('AddPath', (cb) =>
      this.raw.addPath({ tableType: 'TABLE_TYPE_GLOBAL', path }, this.callOptions(), cb),
    );
    return res.uuid;
  }

  /** Withdraws a locally originated path, identified by its NLRI. */
  async deletePath(path: Path): Promise<void> {
    await this.unary('DeletePath', (cb) =>
      this.raw.deletePath(
        { tableType: 'TABLE_TYPE_GLOBAL', family: path.family, path },
        this.callOptions(),
        cb,
      ),
    );
  }

  async listDefinedSets(definedType: DefinedType): Promise<DefinedSet__Output[]> {
    const res = await this.collect(
      'ListDefinedSet',
      this.raw.listDefinedSet({ definedType }, this.callOptions()),
    );
    return res.flatMap((r) => (r.definedSet ? [r.definedSet] : []));
  }

  async addDefinedSet(definedSet: DefinedSet): Promise<void> {
    await this.unary('AddDefinedSet', (cb) => this.raw.addDefinedSet({ definedSet }, this.callOptions(), cb));
  }

  async deleteDefinedSet(definedSet: DefinedSet): Promise<void> {
    await this.unary('DeleteDefinedSet', (cb) =>
      this.raw.deleteDefinedSet({ definedSet, all: true }, this.callOptions(), cb),
    );
  }

  async listPolicies(): Promise<Policy__Output[]> {
    const res = await this.collect('ListPolicy', this.raw.listPolicy({}, this.callOptions()));
    return res.flatMap((r) => (r.policy ? [r.policy] : []));
  }

  async addPolicy(policy: Policy): Promise<void> {
    await this.unary('AddPolicy', (cb) => this.raw.addPolicy({ policy }, this.callOptions(), cb));
  }

  /** Deletes a policy and its statements. */
  async deletePolicy(name: string): Promise<void> {
    await this.unary('DeletePolicy', (cb) =>
      this.raw.deletePolicy(
        { policy: { name }, preserveStatements: false, all: true },
        this.callOptions(),
        cb,
      ),
    );
  }

  async listPolicyAssignments(): Promise<PolicyAssignment__Output[]> {
    const res = await this.collect(
      'ListPolicyAssignment',
      this.raw.listPolicyAssignment({ name: 'global' }, this.callOptions()),
    );
    return res.flatMap((r) => (r.assignment ? [r.assignment] : []));
  }

  /** Replaces an assignment's policy list in one call: the swap is atomic for route evaluation. */
  async setPolicyAssignment(assignment: PolicyAssignment): Promise<void> {
    await this.unary('SetPolicyAssignment', (cb) =>
      this.raw.setPolicyAssignment({ assignment }, this.callOptions(), cb),
    );
  }

  /** A server stream of events; no deadline (it lives until cancelled or the daemon goes). */
  watchEvent(request: WatchEventRequest): grpc.ClientReadableStream<WatchEventResponse__Output> {
    return this.raw.watchEvent(request);
  }

  /**
   * The best-path stream (WatchEvent table BEST, with the initial dump) through the lean decoder:
   * each message is the paths of a table event, or undefined for anything else.
   */
  watchBestPaths(batchSize: number): grpc.ClientReadableStream<LeanPath[] | undefined> {
    const request: WatchEventRequest = { table: { filters: [{ type: 'TYPE_BEST', init: true }] }, batchSize };
    return this.raw.makeServerStreamRequest(
      '/api.GoBgpService/WatchEvent',
      requestSerializer('WatchEvent'),
      (buffer: Buffer) => decodeBestPathEvent(buffer),
      request,
    );
  }

  /** Destinations of the global RIB (or another table, through `table`) for one address family. */
  async listPath(
    family: AddressFamily,
    table: Partial<ListPathRequest> = {},
  ): Promise<Destination__Output[]> {
    const request: ListPathRequest = { tableType: 'TABLE_TYPE_GLOBAL', family: FAMILIES[family], ...table };
    const res = await this.collect('ListPath', this.raw.listPath(request, this.callOptions()));
    return res.flatMap((r) => (r.destination ? [r.destination] : []));
  }
}
