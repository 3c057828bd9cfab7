/**
 * The hand-off between an interrupted upload and the next "Send Test Upload": what is kept in the private global
 * storage (privateState.ts) about the unfinished run and the last results, and the question whether to resume.
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { PrivateState, StoredChoice } from './privateState';
import type { ResultsState } from './resultsModel';

/** Files in the private global storage (privateState.ts); the globalState keys of older versions are dropped. */
export const PENDING_FILE = 'pending-run.json';
export const LAST_RUN_FILE = 'last-run.json';
export const OLD_STATE_KEYS = ['scimmap.upload.pendingRun', 'scimmap.upload.lastRun'];

export interface PendingRun {
  /** 'scim': a run to a SCIM profile (scim.ts resumes it). */
  kind?: 'scim';
  journalPath: string;
  profile: string;
  mappingUri: string;
  mappingName: string;
  /** One record is kept as a keyed hash of its externalId (privateState.ts), not the id. */
  choice: StoredChoice;
  records: number;
  host: string;
  startedAt: string;
}

export interface LastRun {
  state: ResultsState;
  since: string;
}

/**
 * An interrupted run whose journal still exists: the user resumes it (returned), starts a new upload (the record of
 * it is dropped; undefined) or cancels ('cancelled'). Undefined too when there is none.
 */
export async function askAboutInterruptedRun(state: PrivateState): Promise<PendingRun | 'cancelled' | undefined> {
  const pending = state.read<PendingRun>(PENDING_FILE);
  if (pending && existsSync(pending.journalPath)) {
    const answer = await vscode.window.showWarningMessage(
      `An upload of ${pending.records} record(s) to ${pending.host} (profile '${pending.profile}') was interrupted on ${new Date(pending.startedAt).toLocaleString()}.`,
      { modal: true, detail: 'Resume sends only the records that were not accepted yet. A new upload forgets the interrupted one.' },
      'Resume',
      'Start a New Upload',
    );
    if (answer === undefined) return 'cancelled';
    if (answer === 'Resume') return pending;
    state.write(PENDING_FILE, undefined);
  }
  return undefined;
}
