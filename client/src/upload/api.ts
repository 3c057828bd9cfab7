/** The upload commands' contract with the rest of the extension: what they need, and what they lend out. */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { TokenProvider } from '../../../src/targets/entra/upload';
import type { CompiledMapping } from '../../../src/engine/transform/compile';
import type { ScimReadiness } from '../../../src/targets/scim';
import type { ResolvedProfile } from './profiles';
import type { ResolvedScimProfile } from './scimProfiles';

/** What the upload commands need from the language server: the raw client, or the client's typed wrapper. */
export interface UploadServer {
  exportBulk(uri: vscode.Uri): Promise<unknown>;
  preview(uri: vscode.Uri, recordIndex: number): Promise<unknown>;
}

export interface UploadDeps {
  output: vscode.LogOutputChannel;
  getClient(): LanguageClient | UploadServer | undefined;
  /** The record the preview shows for a mapping, so "Send Test Upload" can offer exactly that one. */
  previewRecord?(uri: vscode.Uri): number | undefined;
  /** Other stored secrets "Clear Stored Credentials" also deletes (HR source secrets); returns how many. */
  clearOtherSecrets?(): Promise<number>;
}

/** Arguments another view (the preview) may pass to `scimmap.sendTestUpload`. */
export interface SendTestUploadArgs {
  uri?: string;
  recordIndex?: number;
  /** These records (bulkId = externalId), e.g. "Send these records" in the preview, or Resend failed. */
  externalIds?: string[];
  /** How the confirmation names them ("the 231 records that failed"). */
  label?: string;
  /** The upload profile to use without asking (Resend failed: the run's own). */
  profile?: string;
}

/** What other commands (Plan Sync, Run Sync) reuse: the profile choice and the credentials. */
export interface UploadAccess {
  /** An Entra or a SCIM profile (Plan Sync, Run Sync). */
  pickProfile(title: string): Promise<ResolvedProfile | ResolvedScimProfile | undefined>;
  tokenProvider(r: ResolvedProfile): Promise<TokenProvider | undefined>;
  /** A SCIM profile's secret (asked for when none is stored), discovery and the mapping checked against the server. */
  scimReadiness(r: ResolvedScimProfile, mapping: CompiledMapping): Promise<{ ready: ScimReadiness; tokens: TokenProvider } | undefined>;
}
