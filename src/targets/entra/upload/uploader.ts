/** Entra's bulkUpload as a delivery target: the shared delivery loop posting through the origin-pinned Graph client. */
import type { BulkRequest } from '../../../engine/types';
import { deliverBatches, type DeliveryOptions } from '../../../delivery/uploader';
import type { DeliveryTarget } from '../../../delivery/transport';
import type { TokenProvider, UploadSummary } from '../../../delivery/types';
import { assertSignInMatches, type UploadEndpoint } from './endpoint';
import { postBulkRequest, type FetchLike } from './graphClient';

export interface UploadOptions extends Omit<DeliveryOptions, 'target'> {
  endpoint: UploadEndpoint;
  fetch?: FetchLike;
}

/**
 * The bulkUpload endpoint as a delivery target. Refuses (EndpointError) when the tokens' sign-in host does not
 * belong with the endpoint, before anything is asked or sent (never a mixture of clouds or a foreign host).
 */
export function entraTarget(endpoint: UploadEndpoint, tokens: Pick<TokenProvider, 'signInOrigin'>, fetch?: FetchLike): DeliveryTarget {
  assertSignInMatches(endpoint, tokens.signInOrigin);
  return {
    url: endpoint.url,
    forbiddenHint: 'the app needs SynchronizationData-User.Upload',
    post: (request, token, opts) => postBulkRequest(endpoint, request, token, { ...opts, fetch }),
  };
}

export async function uploadBatches(batches: AsyncIterable<BulkRequest> | Iterable<BulkRequest>, opts: UploadOptions): Promise<UploadSummary> {
  const { endpoint, fetch, ...rest } = opts;
  return deliverBatches(batches, { ...rest, target: entraTarget(endpoint, opts.tokens, fetch) });
}
