import type { ErrorCode } from '../../../shared/ipc/contract';

/** A request the core refuses for a reason the user can act on; its code crosses the transport. */
export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}
