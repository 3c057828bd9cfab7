/** Entra's bulkUpload as a delivery target: the shared delivery loop posting through the origin-pinned Graph client. */
import type { BulkRequest } from '../../../engine/types';
import { deliverBatches, type DeliveryOptions } from '../../../delivery/uploader';
import type { DeliveryTarget } from '../../../delivery/transport';
import type { UploadSummary } from '../../../delivery/types';
import { assertSignInMatches, type UploadEndpoint } from './endpoint';
import { postBulkRequest, type FetchLike } from './graphClient';

export interface UploadOptions extends Omit<DeliveryOptions, 'target'> {
  endpoint: UploadEndpoint;
  fetch?: FetchLike;
}

export function entraTarget(endpoint: UploadEndpoint, fetch?: FetchLike): DeliveryTarget {
  return {
    url: endpoint.url,
    forbiddenHint: 'the app needs SynchronizationData-User.Upload',
    post: (request, token, opts) => postBulkRequest(endpoint, request, token, { ...opts, fetch }),
  };
}

export async function uploadBatches(batches: AsyncIterable<BulkRequest> | Iterable<BulkRequest>, opts: UploadOptions): Promise<UploadSummary> {
  const { endpoint, fetch, ...rest } = opts;
  // Before anything is asked or sent: the sign-in host must belong with the endpoint (never a mixture).
  assertSignInMatches(endpoint, opts.tokens.signInOrigin);
  return deliverBatches(batches, { ...rest, target: entraTarget(endpoint, fetch) });
}
