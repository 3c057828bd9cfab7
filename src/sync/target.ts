/**
 * Where a sync sends: the run (run.ts) is target-neutral and each target plugs in here (Entra bulkUpload:
 * targets/entra/upload/syncTarget.ts; a SCIM service provider: targets/scim/syncTarget.ts). The run hands the
 * target the records to send and the leavers to deactivate; the target tells the recorder what the service
 * confirmed, and only that reaches the state.
 */
import type { DeliveryOptions } from '../delivery/uploader';
import type { Journal } from '../delivery/journal';
import type { TokenProvider, UploadProgress, UploadSummary } from '../delivery/types';
import type { ScimResource } from '../engine/types';
import type { StateUpdate } from './stateStore';

/** Which kind of service a state belongs to: states of two kinds never mix (paths.ts, run.ts). */
export type SyncDestination = 'entra' | 'scim';

/** A record to send: the complete mapped resource and its 0-based position in the export. */
export interface SyncChange {
  resource: ScimResource;
  index: number;
}

/** Told by the target, as soon as the service confirmed them, which operations to keep in the state. */
export interface SyncRecorder {
  /** These resources were accepted as sent: the state keeps their payload hash and active flag. */
  sent(resources: ScimResource[]): void;
  /** These leavers (externalIds) were confirmed deactivated. */
  deactivated(externalIds: string[]): void;
  /**
   * The state entry a sent resource becomes (undefined without an externalId): a target that confirms a record in
   * parts (SCIM: the user, then its manager link) keeps this (a 16-byte hash) rather than the record, then `record`s it.
   */
  entryOf(resource: ScimResource): StateUpdate | undefined;
  record(entries: StateUpdate[]): void;
}

export interface SyncSendContext {
  tokens: TokenProvider;
  /** The run's journal, shared by both calls: `send` leaves it open, `deactivate` closes it. */
  journal: Journal;
  recorder: SyncRecorder;
  signal?: AbortSignal;
  onProgress?: (e: UploadProgress) => void;
  delivery?: Pick<DeliveryOptions, 'pacing' | 'retry' | 'concurrency' | 'requestTimeoutMs' | 'random'>;
  /** Leave the journal open at the end (the deactivations follow). */
  keepJournalOpen?: boolean;
  /** Ordinal of the first operation (the deactivations are numbered after the sends). */
  firstOrdinal?: number;
}

export interface SyncTarget {
  readonly destination: SyncDestination;
  /** The endpoint, for the plan, the history and the journal. */
  readonly url: string;
  /** Sends the changed records (create, update, reactivate; unchanged too with --full), in export order. */
  send(changes: AsyncIterable<SyncChange>, ctx: SyncSendContext): Promise<UploadSummary>;
  /** Deactivates the leavers. A leaver the service does not know is a failed record, never "deactivated". */
  deactivate(externalIds: Iterable<string>, ctx: SyncSendContext): Promise<UploadSummary>;
}
