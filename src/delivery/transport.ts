/**
 * What the delivery loop needs from a target: one call that posts a batch and reports the HTTP outcome. The target
 * (e.g. Entra's bulkUpload client) owns URLs, origin pinning, auth headers and error bodies; the loop owns pacing,
 * retries, the journal and the summary.
 */
import type { BulkRequest } from '../engine/types';

export interface DeliveryResponse {
  status: number;
  headers: Headers;
  text: string;
  requestId?: string;
  clientRequestId?: string;
  /** The target's error body `{ code, message }`, when present. */
  error?: { code: string; message: string };
  /**
   * Per-operation results of a target that reports them (SCIM: HTTP status, server id, scimType), in operation
   * order; merged into the records' outcomes.
   */
  details?: RecordDetail[];
}

/** What a target learned about one operation, beyond accepted / failed. */
export interface RecordDetail {
  /** What the target did: created, updated, linked a manager, deactivated. */
  action?: string;
  httpStatus?: number;
  /** The service provider's id of the resource. */
  serverId?: string;
  /** RFC 7644 §3.12 error scimType. */
  scimType?: string;
  /**
   * This operation's own outcome, when the target reports one per operation (SCIM /Bulk: one request, some
   * operations done, some failed, some not processed). Overrides the batch's status for this record, in the summary
   * and in the journal (only operations that were done are skipped by a resume).
   */
  outcome?: 'accepted' | 'failed' | 'not-sent';
  /** With outcome failed / not-sent: why. */
  error?: { code: string; message: string };
}

export interface DeliveryTarget {
  /** Shown in summaries (never contains a secret). */
  readonly url: string;
  /** Posts one batch. Throws NetworkError when no response arrived (retried), TargetRefusedError to stop the run. */
  post(request: BulkRequest, token: string, opts: { signal: AbortSignal; timeoutMs?: number }): Promise<DeliveryResponse>;
  /** Added to the stop message of a 403 (which permission is missing). */
  readonly forbiddenHint?: string;
  /** Operations per batch at most (default 50, Entra's limit); a SCIM /Bulk target sizes batches to the server's. */
  readonly maxOperations?: number;
  /** Whether a response is the target's final success. Default: HTTP 202 (Entra's bulkUpload). */
  accepts?(response: DeliveryResponse): boolean;
}

/** The request never got a response: connection refused or dropped, DNS, timeout. Safe to retry (see uploader). */
export class NetworkError extends Error {
  override name = 'NetworkError';
}

/** The target refuses to go on (redirect, wrong origin): stop the whole run, never retry. */
export class TargetRefusedError extends Error {
  override name = 'TargetRefusedError';
}
