/**
 * `scimmap sync --wait`: after a sync run, the provisioning outcomes of what it sent (creates, updates,
 * reactivations and disables), reported and scored exactly like `scimmap upload --wait` (provisioningWait.ts).
 * Kept out of commands/sync.ts so that the sync command only calls it.
 */
import type { TokenProvider } from '../delivery/types';
import type { UploadEndpoint } from '../targets/entra/upload';
import type { SyncRunResult } from '../sync';
import { EXIT_FAILED } from './io';
import { provisioned, provisioningJson, provisioningLines, waitForProvisioning, type WaitSettings } from './provisioningWait';

export interface SyncWaitContext {
  /** The Entra bulkUpload endpoint; undefined for other destinations and on a dry run (nothing to wait for). */
  endpoint?: UploadEndpoint;
  /** Undefined on a dry run (nothing was sent, nothing to wait for). */
  tokens?: TokenProvider;
  since: Date;
  settings: WaitSettings;
  signal?: AbortSignal;
  err: (line: string) => void;
}

export interface SyncWaitResult {
  /** Lines to append to the text result ('' without --wait). */
  text: string;
  /** Fields to add to the JSON result ({} without --wait). */
  json: Record<string, unknown>;
  /** The sync's exit code, made 1 when a sent record failed provisioning or has no log entry by the deadline. */
  exitCode: number;
}

export async function waitAfterSync(result: SyncRunResult, c: SyncWaitContext): Promise<SyncWaitResult> {
  const none: SyncWaitResult = { text: '', json: {}, exitCode: result.exitCode };
  // Refused, declined or a dry run: nothing was sent. A run that sent nothing (all unchanged) has nothing to wait for.
  if (!c.settings.wait || !c.endpoint || !c.tokens || result.refused || result.declined || !result.summary) return none;
  const records = result.summary.records;
  if (!records.some((r) => r.status === 'accepted')) return { ...none, text: `Provisioning: nothing was ${records.length ? 'accepted' : 'sent'}, nothing to wait for.\n` };
  const poll = await waitForProvisioning({ endpoint: c.endpoint, tokens: c.tokens, records, since: c.since, settings: c.settings, signal: c.signal, err: c.err });
  const exitCode = result.exitCode === 0 && !provisioned(c.settings, poll) ? EXIT_FAILED : result.exitCode;
  const text = poll ? `\n${provisioningLines(records, poll).join('\n')}\n` : 'Provisioning: the logs could not be read (see above); the outcome is unknown.\n';
  return { text, json: provisioningJson(records, poll), exitCode };
}
