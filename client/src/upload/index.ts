/**
 * VS Code side of test uploads: "Send Test Upload…", "Show Provisioning Results", "Set Client Secret…",
 * "Clear Stored Credentials" and "Start Local Entra Stand-in". The sending, pacing, journal and polling are the
 * node-only upload engine (src/targets/entra/upload), shared with the CLI; controller.ts adds choices, confirmation,
 * progress, SecretStorage and the results view. This module registers the commands, each reporting its error
 * (redacted) instead of throwing into VS Code.
 */
import * as vscode from 'vscode';
import { redactError } from '../../../src/targets/entra/upload';
import type { SendTestUploadArgs, UploadAccess, UploadDeps } from './api';
import { UploadController } from './controller';

export type { SendTestUploadArgs, UploadAccess, UploadDeps, UploadServer } from './api';

export function registerUploadCommands(context: vscode.ExtensionContext, deps: UploadDeps): UploadAccess {
  const c = new UploadController(context, deps);
  const guarded = (name: string, fn: (...args: never[]) => Promise<void>) =>
    vscode.commands.registerCommand(name, async (...args: never[]) => {
      try {
        await fn(...args);
      } catch (e) {
        const msg = redactError(e);
        deps.output.appendLine(`[upload] ${name}: ${msg}`);
        void vscode.window.showErrorMessage(msg);
      }
    });
  context.subscriptions.push(
    c,
    guarded('scimmap.sendTestUpload', (arg?: SendTestUploadArgs) => c.sendTestUpload(arg)),
    guarded('scimmap.showProvisioningResults', () => c.showProvisioningResults()),
    guarded('scimmap.resendFailed', () => c.resendFailed()),
    guarded('scimmap.setClientSecret', () => c.setClientSecret()),
    guarded('scimmap.clearCredentials', () => c.clearCredentials()),
    guarded('scimmap.startStandIn', () => c.startLocalStandIn()),
    guarded('scimmap.app.addAttribute', (arg?: unknown) => c.addAttributeToApp(arg)),
    guarded('scimmap.addScimEndpoint', async () => void (await c.addScimEndpoint())),
  );
  return {
    pickProfile: (title) => c.pickProfile(undefined, title, true),
    tokenProvider: (r) => c.tokens(r),
    scimReadiness: (r, mapping) => c.scimReadiness(r, mapping),
  };
}
