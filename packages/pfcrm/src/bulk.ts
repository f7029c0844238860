import { type HttpError, ValidationError, type WorkerOutcome } from '@sync/core';
import { refusedOperations } from './errors.js';
import { describeOperation, type PropertyOperation } from './operations.js';
import { PORTAL } from './portal.js';

function refusal(error: HttpError, operation: PropertyOperation, reasons: string[], name: string): ValidationError {
  const target = describeOperation(operation);
  const serverMessage = reasons.join('; ');
  return new ValidationError(`the API refused this operation (${serverMessage})`, {
    portal: PORTAL,
    operation: name,
    itemId: typeof target?.id === 'number' ? String(target.id) : undefined,
    method: error.method,
    url: error.url,
    status: error.status,
    requestId: error.requestId,
    body: error.body,
    serverMessage,
    cause: error,
  });
}

/**
 * Sends one chunk of operations and says what became of each. When a 422 names the
 * refused operations, each of them fails with its own reason; the API applies nothing of
 * a refused request, so the others are sent again without them when all are harmless to
 * repeat, and are otherwise reported skipped as not applied. Each round drops at least one
 * operation, so a chunk is sent at most once per operation.
 */
export async function sendOperationChunk(
  batch: readonly PropertyOperation[],
  offset: number,
  send: (operations: PropertyOperation[]) => Promise<unknown>,
  name: string,
): Promise<WorkerOutcome<undefined>[]> {
  const outcomes = new Array<WorkerOutcome<undefined>>(batch.length);
  let pending = batch.map((_, i) => i);
  while (pending.length > 0) {
    const operations = pending.map((i) => batch[i] as PropertyOperation);
    try {
      await send(operations);
      for (const i of pending) outcomes[i] = { status: 'succeeded', value: undefined };
      break;
    } catch (error) {
      const refused = refusedOperations(error, operations.length);
      if (!refused) {
        const err = error instanceof Error ? error : new Error(String(error));
        for (const i of pending) outcomes[i] = { status: 'failed', error: err };
        break;
      }
      for (const [k, reasons] of refused) {
        const i = pending[k] as number;
        outcomes[i] = {
          status: 'failed',
          error: refusal(error as HttpError, batch[i] as PropertyOperation, reasons, name),
        };
      }
      const culprits = [...refused.keys()].map((k) => offset + (pending[k] as number)).join(', ');
      pending = pending.filter((_, k) => !refused.has(k));
      if (!pending.every((i) => describeOperation(batch[i] as PropertyOperation)?.idempotent)) {
        const reason = `not applied: the API refused the request because of operation ${culprits}; send it again`;
        for (const i of pending) outcomes[i] = { status: 'skipped', reason };
        break;
      }
    }
  }
  return outcomes;
}
