/** Batches transformed resources into BulkRequests: bulkId = externalId, input order kept. */
import { BULK_REQUEST_URN, BulkOperation, BulkRequest, ScimResource } from '../types';

export function bulkIdOf(resource: ScimResource, index: number): string {
  const ext = resource.externalId;
  return typeof ext === 'string' && ext !== '' ? ext : `record-${index + 1}`;
}

export function operationOf(resource: ScimResource, index: number): BulkOperation {
  return { method: 'POST', bulkId: bulkIdOf(resource, index), path: '/Users', data: resource };
}

export function bulkRequest(operations: BulkOperation[], failOnErrors: number | null | undefined): BulkRequest {
  const req: BulkRequest = { schemas: [BULK_REQUEST_URN], Operations: operations };
  if (failOnErrors !== undefined) req.failOnErrors = failOnErrors;
  return req;
}

/** Splits operations into requests of at most `size`. */
export function batch(operations: BulkOperation[], size: number, failOnErrors: number | null | undefined): BulkRequest[] {
  const out: BulkRequest[] = [];
  for (let i = 0; i < operations.length; i += size) out.push(bulkRequest(operations.slice(i, i + size), failOnErrors));
  return out;
}
