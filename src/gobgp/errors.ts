// gRPC failures from GoBGP as typed errors, classified by status code and never by message text
// (GoBGP's messages change between releases; the codes are the contract).
import { status, type ServiceError } from '@grpc/grpc-js';

export class GobgpError extends Error {
  readonly code: status;
  readonly method: string;

  constructor(method: string, code: status, details: string, cause?: unknown) {
    super(`GoBGP ${method}: ${status[code] ?? code}: ${details}`, { cause });
    this.name = 'GobgpError';
    this.code = code;
    this.method = method;
  }

  /** The daemon is not reachable (not started yet, restarting, socket gone): retry with backoff. */
  get unavailable(): boolean {
    return this.code === status.UNAVAILABLE || this.code === status.DEADLINE_EXCEEDED;
  }

  get notFound(): boolean {
    return this.code === status.NOT_FOUND;
  }

  get alreadyExists(): boolean {
    return this.code === status.ALREADY_EXISTS;
  }
}

function isServiceError(err: unknown): err is ServiceError {
  return err instanceof Error && typeof (err as Partial<ServiceError>).code === 'number';
}

export function toGobgpError(method: string, err: unknown): GobgpError {
  if (err instanceof GobgpError) return err;
  if (isServiceError(err)) return new GobgpError(method, err.code, err.details, err);
  return new GobgpError(method, status.UNKNOWN, err instanceof Error ? err.message : String(err), err);
}
