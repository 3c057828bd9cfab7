/** The upload engine's public surface (node only; shared by the CLI and the VS Code commands). */
export * from './types';
export * from './endpoint';
export { redact, redactError, registerSecret, encodedForms } from './redact';
export { uploadBatches, MAX_OPERATIONS_PER_REQUEST } from './uploader';
export type { UploadOptions, RetryPolicy } from './uploader';
export { Journal, JournalError, fileIdentity, hashText } from './journal';
export { cliStateDirectory, ensurePrivateDir, gitWorkTreeOf, journalKey } from './stateDir';
export type { RunIdentity, InputIdentity, JournalBatch } from './journal';
export * from './auth';
export * from './results';
export * from './outcomes';
export { graphRequest, postBulkRequest, NetworkError, RedirectRefusedError, SCIM_CONTENT_TYPE } from './graphClient';
export { SlidingWindowPacer, parseRetryAfter, backoffDelay, sleep, AbortedError } from './timing';
