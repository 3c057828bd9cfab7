/** The upload engine's public surface (node only; shared by the CLI and the VS Code commands). */
export * from '../../../delivery/types';
export * from './endpoint';
export { redact, redactError, registerSecret, encodedForms } from '../../../delivery/redact';
export { MAX_OPERATIONS_PER_REQUEST, deliverBatches } from '../../../delivery/uploader';
export type { DeliveryOptions, RetryPolicy } from '../../../delivery/uploader';
export { uploadBatches, entraTarget } from './uploader';
export { entraSyncTarget } from './syncTarget';
export type { EntraSyncOptions } from './syncTarget';
export type { UploadOptions } from './uploader';
export { TargetRefusedError } from '../../../delivery/transport';
export { Journal, JournalError, fileIdentity, hashText } from '../../../delivery/journal';
export { cliStateDirectory, ensurePrivateDir, gitWorkTreeOf, journalKey } from '../../../delivery/stateDir';
export type { RunIdentity, InputIdentity, JournalBatch } from '../../../delivery/journal';
export * from './auth';
export * from './results';
export * from './outcomes';
export { graphRequest, postBulkRequest, NetworkError, RedirectRefusedError, SCIM_CONTENT_TYPE } from './graphClient';
export { SlidingWindowPacer, parseRetryAfter, backoffDelay, sleep, AbortedError } from '../../../delivery/timing';
