/** Types shared by the upload engine's modules and its callers (CLI, VS Code commands). */

/** Supplies bearer tokens. `forceRefresh` bypasses any cache (used once after a 401). */
export interface TokenProvider {
  getToken(forceRefresh?: boolean): Promise<string>;
  /** Human description for confirmations and logs, never containing a secret (e.g. "client secret for app 1234…"). */
  readonly description: string;
  /**
   * Origin of the sign-in host this provider posts credentials to (client credentials), or undefined for a
   * pre-acquired token. The upload engine refuses a provider whose sign-in host does not belong with the endpoint.
   */
  readonly signInOrigin?: string;
}

export type RecordStatus = 'accepted' | 'failed' | 'not-sent';
export type BatchStatus = 'accepted' | 'failed' | 'not-sent' | 'in-doubt';

export interface BatchSummary {
  /** 0-based sequence number of the batch in this run (stable across resumes for the same input). */
  seq: number;
  /** Ordinal of the first operation of the batch in the whole operation stream. */
  first: number;
  operations: number;
  status: BatchStatus;
  httpStatus?: number;
  requestId?: string;
  clientRequestId?: string;
  /** HTTP calls made for this batch (1 when it went through first time). */
  attempts: number;
  errorCode?: string;
  errorMessage?: string;
}

export interface RecordOutcome {
  /** Position of the operation in the whole operation stream (0-based). */
  ordinal: number;
  bulkId: string;
  externalId?: string;
  batch: number;
  status: RecordStatus;
  /** Accepted by an earlier (interrupted) run of the same journal; not sent again. */
  previouslyAccepted?: boolean;
  errorCode?: string;
  errorMessage?: string;
  /** Per-operation details from targets that report them (SCIM): see RecordDetail in transport.ts. */
  action?: string;
  httpStatus?: number;
  serverId?: string;
  scimType?: string;
}

export type StopReason = 'cancelled' | 'unauthorized' | 'forbidden' | 'throttled' | 'endpoint' | 'journal';

export interface UploadTotals {
  records: number;
  /** Operations sent in this run (a batch counts once however many attempts it took). */
  sent: number;
  accepted: number;
  failed: number;
  notSent: number;
  /** Accepted by an earlier run of the same journal. */
  previouslyAccepted: number;
  batches: number;
  /** HTTP calls beyond the first per batch (throttling, 5xx, network, token refresh). */
  retried: number;
  calls: number;
}

export interface UploadSummary {
  endpoint: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  totals: UploadTotals;
  batches: BatchSummary[];
  records: RecordOutcome[];
  stopped?: { reason: StopReason; message: string };
  journalPath?: string;
}

export type UploadProgress =
  | { type: 'batch-sent'; seq: number; attempt: number; operations: number }
  | { type: 'batch-done'; batch: BatchSummary; totals: UploadTotals }
  | { type: 'retry'; seq: number; attempt: number; delayMs: number; reason: string }
  | { type: 'token-refresh'; seq: number }
  | { type: 'skipped'; seq: number; operations: number }
  | { type: 'stopped'; reason: StopReason; message: string };
