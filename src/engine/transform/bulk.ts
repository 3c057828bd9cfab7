/** Batches transformed resources into BulkRequests: bulkId = externalId, input order kept. */
import { BULK_REQUEST_URN, BulkOperation, BulkRequest, ScimResource } from '../types';

export function bulkIdOf(resource: ScimResource, index: number): string {
  const ext = resource.externalId;
  return typeof ext === 'string' && ext !== '' ? ext : `record-${index + 1}`;
}

export function operationOf(resource: ScimResource, index: number): BulkOperation {
  return { method: 'POST', bulkId: bulkIdOf(resource, index), path: '/Users', data: resource };
}

/**
 * A bulkId only has to be unique within its request (RFC 7644 §3.7). A record without externalId (possible for
 * `scim` only: for `entra` it is a record error and never batched) gets `record-N`; should a real externalId in
 * the same request read `record-N` too, the generated one takes a suffix, so no two operations share a bulkId.
 */
function uniqueBulkIds(operations: BulkOperation[]): BulkOperation[] {
  const generated = (op: BulkOperation) => typeof op.data.externalId !== 'string' || op.data.externalId === '';
  if (!operations.some(generated)) return operations;
  const taken = new Set(operations.filter((op) => !generated(op)).map((op) => op.bulkId));
  return operations.map((op) => {
    if (!generated(op)) return op;
    let id = op.bulkId;
    for (let k = 2; taken.has(id) && k <= operations.length + 2; k++) id = `${op.bulkId}~${k}`;
    taken.add(id);
    return id === op.bulkId ? op : { ...op, bulkId: id };
  });
}

export function bulkRequest(operations: BulkOperation[], failOnErrors: number | null | undefined): BulkRequest {
  const req: BulkRequest = { schemas: [BULK_REQUEST_URN], Operations: uniqueBulkIds(operations) };
  if (failOnErrors !== undefined) req.failOnErrors = failOnErrors;
  return req;
}

/** Splits operations into requests of at most `size`. */
export function batch(operations: BulkOperation[], size: number, failOnErrors: number | null | undefined): BulkRequest[] {
  const out: BulkRequest[] = [];
  for (let i = 0; i < operations.length; i += size) out.push(bulkRequest(operations.slice(i, i + size), failOnErrors));
  return out;
}
