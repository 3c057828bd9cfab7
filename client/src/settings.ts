// Typed reads of the extension's settings (package.json contributes.configuration).
import * as vscode from 'vscode';

const section = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('scimmap');

export const settings = {
  previewDebounceMs: (): number => Math.max(0, section().get<number>('preview.debounceMs', 300)),
  inlineValuesEnabled: (): boolean => section().get<boolean>('inlineValues.enabled', true),
  sampleMaxRecords: (): number => Math.max(1, Math.floor(section().get<number>('sample.maxRecords', 100_000))),
  setInlineValuesEnabled: (on: boolean): Thenable<void> =>
    // Global unless the user already set it per workspace: the toggle should win where it was configured.
    section().update('inlineValues.enabled', on, section().inspect('inlineValues.enabled')?.workspaceValue !== undefined
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global),
};
