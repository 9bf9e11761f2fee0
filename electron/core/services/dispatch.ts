import type { RequestChannel, Result } from '../../../shared/ipc/contract';
import { RequestValidationError, isRequestChannel, validateRequest } from '../../../shared/ipc/validators';
import { ServiceError } from './service-error';
import type { Handlers } from './workbench';

/**
 * The one path from a transport to the core: check the channel, validate the request, call the service's
 * function, and wrap the answer in the contract's Result envelope. Never throws: a bug becomes `internal`
 * with its message (and its stack on stderr), since Electron would carry only the message anyway.
 */
export async function dispatch(service: { handlers: Handlers }, channel: unknown, payload: unknown, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<Result<unknown>> {
  if (!isRequestChannel(channel)) {
    return { ok: false, error: { code: 'unknown-channel', message: `Unknown request channel ${JSON.stringify(String(channel).slice(0, 80))}` } };
  }
  let request: unknown;
  try {
    request = validateRequest(channel, payload);
  } catch (err) {
    if (err instanceof RequestValidationError) return { ok: false, error: { code: 'bad-request', message: `${channel}: ${err.message}` } };
    throw err;
  }
  try {
    const handler = service.handlers[channel] as (r: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(request) };
  } catch (err) {
    if (err instanceof ServiceError) return { ok: false, error: { code: err.code, message: err.message } };
    log(`crossline: ${channel as RequestChannel} failed: ${(err as Error).stack ?? String(err)}`);
    return { ok: false, error: { code: 'internal', message: (err as Error).message ?? String(err) } };
  }
}
