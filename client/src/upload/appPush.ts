// "Add to the provisioning app…": the quick fix of app-attribute-missing. Asks for the upload profile (which
// names the app's endpoint) and, optionally, the Entra property to set; shows the change in a modal confirmation;
// then reads the app's schema, adds the attribute (and mapping), writes it back whole, and refreshes the saved
// schema file, which the language server watches (the warning goes away on its own).
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { getAppSchema, getJobStatus, jobWarning, putAppSchema } from '../../../src/targets/entra/app/graph';
import { describePlan, planPush } from '../../../src/targets/entra/app/push';
import { appModel } from '../../../src/targets/entra/app/schema';
import { savedSchemaTargetProblem, writeSavedSchema } from '../../../src/targets/entra/app/savedSchema';
import type { TokenProvider } from '../../../src/delivery/types';
import type { UploadEndpoint } from '../../../src/targets/entra/upload/endpoint';
import type { ResolvedProfile } from './profiles';

export interface AddAttributeArgs {
  mapping: string;
  attribute: string;
  type?: string;
  /** Absolute path of the saved schema the mapping names. */
  appSchema: string;
}

export function isAddAttributeArgs(a: unknown): a is AddAttributeArgs {
  const x = a as AddAttributeArgs;
  return !!x && typeof x === 'object' && typeof x.mapping === 'string' && typeof x.attribute === 'string' && typeof x.appSchema === 'string';
}

const PROPERTY_RE = /^[A-Za-z][A-Za-z0-9_.]{0,127}$/;

export async function addAttributeToApp(args: AddAttributeArgs, resolved: ResolvedProfile, tokens: TokenProvider, log: (line: string) => void): Promise<boolean> {
  const target = await vscode.window.showInputBox({
    title: `Add ${args.attribute} to the provisioning app`,
    prompt: 'Entra user property to set from it (e.g. employeeHireDate); leave empty to only add it to the source attribute list',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' || PROPERTY_RE.test(v.trim()) ? undefined : 'an Entra user property name, e.g. employeeHireDate or employeeOrgData.costCenter'),
  });
  if (target === undefined) return false;
  // The file comes from the mapping (it may be hostile): checked before anything is read or written.
  const problem = savedSchemaTargetProblem(args.mapping, args.appSchema, (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
  if (problem) throw new Error(problem);
  const ep = resolved.endpoint;
  const current = await getAppSchema(ep, tokens);
  const plan = planPush(current, {
    attributes: [{ name: args.attribute, type: args.type ?? 'String' }],
    mappings: target.trim() ? [{ source: args.attribute, target: target.trim() }] : [],
  });
  const diff = describePlan(plan, appModel(current).sourceDirectory.name);
  if (!plan.addedAttributes.length && !plan.addedMappings.length) {
    void vscode.window.showInformationMessage(`Nothing to change: ${diff || `the app already has ${args.attribute}`}`);
    writeSavedSchema(args.appSchema, current);
    return false;
  }
  const ok = await vscode.window.showWarningMessage(
    `Change the provisioning app at ${new URL(ep.origin).host} (job …${ep.jobId.slice(-8)})?`,
    { modal: true, detail: `${diff}\n\nThe app's whole schema is read and written back with this change (needs Synchronization.ReadWrite.All).` },
    'Add to the App',
  );
  if (ok !== 'Add to the App') return false;
  await putAppSchema(ep, tokens, plan.schema);
  writeSavedSchema(args.appSchema, await getAppSchema(ep, tokens));
  log(`app push: ${diff.replace(/\n/g, '; ')} → ${basename(args.appSchema)} refreshed`);
  void vscode.window.showInformationMessage(`Added ${args.attribute} to the provisioning app; ${basename(args.appSchema)} refreshed.`);
  return true;
}

/**
 * The warning before an upload: a paused or quarantined job stages the records without processing them.
 * Undefined when the job runs or its status cannot be read (reading needs Synchronization.Read.All).
 */
export async function jobNote(ep: UploadEndpoint, tokens: TokenProvider, log: (line: string) => void): Promise<string | undefined> {
  try {
    return jobWarning(await getJobStatus(ep, tokens));
  } catch (e) {
    log(`job status not checked: ${(e as Error).message}`);
    return undefined;
  }
}
