import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientSupport } from '../../../src/lsp/clientSupport';

test('a client that declares nothing gets nothing it did not ask for', () => {
  assert.deepEqual(clientSupport({ capabilities: {} }), {
    snippets: false, watchedFilesRegistration: false, inlayHintRefresh: false, pullDiagnostics: false, diagnosticRefresh: false, positionEncoding: 'utf-16',
  });
});

test('declared capabilities switch features on; a client may ask for pushed diagnostics', () => {
  const capabilities = {
    general: { positionEncodings: ['utf-8'] },
    textDocument: { completion: { completionItem: { snippetSupport: true } }, diagnostic: {} },
    workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, inlayHint: { refreshSupport: true }, diagnostics: { refreshSupport: true } },
  };
  assert.deepEqual(clientSupport({ capabilities }), {
    snippets: true, watchedFilesRegistration: true, inlayHintRefresh: true, pullDiagnostics: true, diagnosticRefresh: true, positionEncoding: 'utf-8',
  });
  assert.equal(clientSupport({ capabilities, initializationOptions: { diagnostics: 'push' } }).pullDiagnostics, false);
});
