/**
 * What the connected client declared in `initialize`: the server only sends requests and registrations the
 * client advertised, and only uses features (snippets, pull diagnostics, position encodings) it can take.
 */
import type { ClientCapabilities, InitializeParams } from 'vscode-languageserver/node';
import { negotiateEncoding, PositionEncoding } from './positions';

export interface ClientSupport {
  /** `completionItem.snippetSupport`. */
  snippets: boolean;
  /** `workspace.didChangeWatchedFiles.dynamicRegistration`: else the server watches sample and schema files itself. */
  watchedFilesRegistration: boolean;
  /** `workspace.inlayHint.refreshSupport`. */
  inlayHintRefresh: boolean;
  /** `textDocument.diagnostic` (pull diagnostics), unless the client asked for push in its initialization options. */
  pullDiagnostics: boolean;
  /** `workspace.diagnostics.refreshSupport`. */
  diagnosticRefresh: boolean;
  positionEncoding: PositionEncoding;
}

export function clientSupport(params: Pick<InitializeParams, 'capabilities' | 'initializationOptions'>): ClientSupport {
  const c: ClientCapabilities = params.capabilities ?? {};
  const options = (params.initializationOptions && typeof params.initializationOptions === 'object' ? params.initializationOptions : {}) as { diagnostics?: unknown };
  return {
    snippets: c.textDocument?.completion?.completionItem?.snippetSupport === true,
    watchedFilesRegistration: c.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    inlayHintRefresh: c.workspace?.inlayHint?.refreshSupport === true,
    pullDiagnostics: !!c.textDocument?.diagnostic && options.diagnostics !== 'push',
    diagnosticRefresh: c.workspace?.diagnostics?.refreshSupport === true,
    positionEncoding: negotiateEncoding(c.general?.positionEncodings),
  };
}
