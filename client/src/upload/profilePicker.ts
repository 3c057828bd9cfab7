/**
 * Upload profiles in VS Code: read from the user-level setting only (a workspace cannot define or redirect a
 * profile), written back there, picked in a quick pick, and created step by step from a Provisioning API Endpoint.
 */
import * as vscode from 'vscode';
import { stripPastedQuotes } from '../../../src/targets/entra/upload/endpoint';
import { entraProfileRows, presetProfile } from './profileChoice';
import {
  endpointInputProblem,
  readProfiles,
  resolveProfile,
  suggestProfileName,
  tenantInputProblem,
  upsertProfile,
  userLevel,
  type AuthKind,
  type ResolvedProfile,
  type UploadProfile,
} from './profiles';
import { scimPickItems } from './scim';
import { resolveScimProfile, type ResolvedScimProfile, type ScimProfile } from './scimProfiles';

export class ProfilePicker {
  private warnedIgnored = false;

  constructor(private readonly log: (line: string) => void) {}

  /** The user's Entra profiles. */
  profiles(): UploadProfile[] {
    return this.all().profiles;
  }

  /** Entra and SCIM profiles, from the user-level setting only. */
  all(): { profiles: UploadProfile[]; scim: ScimProfile[] } {
    const { value, ignored } = userLevel('scimmap.upload.profiles', vscode.workspace.getConfiguration('scimmap.upload').inspect<unknown>('profiles'));
    const { profiles, scim, problems } = readProfiles(value);
    for (const p of [...ignored, ...problems]) this.log(`settings: ${p}`);
    if (ignored.length && !this.warnedIgnored) {
      this.warnedIgnored = true;
      void vscode.window.showWarningMessage('Upload profiles in this workspace\'s settings are ignored: where uploads go and sign in is read from your user settings only.');
    }
    return { profiles, scim };
  }

  private defaultProfile(): string | undefined {
    const { value, ignored } = userLevel('scimmap.upload.defaultProfile', vscode.workspace.getConfiguration('scimmap.upload').inspect<string>('defaultProfile'));
    for (const p of ignored) this.log(`settings: ${p}`);
    return typeof value === 'string' && value ? value : undefined;
  }

  /** Writes the list to the user settings, the only level it is read from. */
  async save(profile: UploadProfile | ScimProfile): Promise<void> {
    const cfg = vscode.workspace.getConfiguration('scimmap.upload');
    const current = cfg.inspect<unknown[]>('profiles')?.globalValue ?? [];
    await cfg.update('profiles', upsertProfile(Array.isArray(current) ? current : [], profile), vscode.ConfigurationTarget.Global);
  }

  /** An Entra profile, or with `withScim` also a SCIM endpoint (`addScim` runs "Add SCIM Endpoint…"). Undefined: cancelled. */
  async pick(
    o: { preferred?: string; title: string; withScim: boolean; addScim: () => Promise<ResolvedScimProfile | undefined> },
  ): Promise<ResolvedProfile | ResolvedScimProfile | undefined> {
    const { profiles, scim } = this.all();
    const scimOffered = o.withScim ? scim : [];
    const asked = presetProfile({ profiles, scim: scimOffered, preferred: o.preferred }, process.env);
    if (asked) return asked;
    const def = this.defaultProfile();
    // The setting means "use without asking"; the modal confirmation still names where the records go.
    const preset = presetProfile({ profiles, scim: scimOffered, defaultName: def }, process.env);
    if (preset) return preset;
    if (def && !profiles.some((p) => p.name === def) && !scim.some((p) => p.name === def)) {
      this.log(`settings: scimmap.upload.defaultProfile names '${def}', which is not among the profiles; asking instead`);
    }
    type Item = vscode.QuickPickItem & { profile?: UploadProfile; scim?: ScimProfile; addScim?: true };
    const items: Item[] = entraProfileRows(profiles, def);
    items.push(...scimPickItems(scimOffered, def));
    items.push({ label: '$(add) New profile from a Provisioning API Endpoint URL…' });
    if (o.withScim) items.push({ label: '$(add) Add SCIM Endpoint…', detail: 'Any SCIM 2.0 service provider (target: scim mappings)', addScim: true });
    const pick = await vscode.window.showQuickPick(items, { title: o.title, placeHolder: 'Upload profile (scimmap.upload.profiles)', ignoreFocusOut: true });
    if (!pick) return undefined;
    if (pick.addScim) return o.addScim();
    // Resolving refuses a host that is not on the allowlist, with how to add it.
    if (pick.scim) return resolveScimProfile(pick.scim, process.env);
    if (!pick.profile) return this.create();
    return resolveProfile(pick.profile);
  }

  /** A new Entra profile from the portal's endpoint URL, saved to the user settings. Undefined: cancelled. */
  private async create(): Promise<ResolvedProfile | undefined> {
    const url = await vscode.window.showInputBox({
      title: 'New upload profile (1/4): endpoint',
      prompt: 'Paste the Provisioning API Endpoint (Entra portal → Enterprise applications → your API-driven provisioning app → Overview)',
      placeHolder: 'https://graph.microsoft.com/beta/servicePrincipals/{id}/synchronization/jobs/{jobId}/bulkUpload',
      ignoreFocusOut: true,
      validateInput: endpointInputProblem,
    });
    if (url === undefined) return undefined;
    type AuthItem = vscode.QuickPickItem & { auth: AuthKind };
    const auth = await vscode.window.showQuickPick<AuthItem>(
      [
        { label: 'Client secret', detail: 'App registration with SynchronizationData-User.Upload; the secret is kept in VS Code secret storage', auth: 'clientSecret' },
        { label: 'Certificate', detail: 'App registration with a certificate (PEM file with private key and certificate)', auth: 'certificate' },
        { label: 'Sign in with a Microsoft account', detail: 'Delegated SynchronizationData-User.Upload (an administrator account)', auth: 'signIn' },
      ],
      { title: 'New upload profile (2/4): sign-in', ignoreFocusOut: true },
    );
    if (!auth) return undefined;
    const tenantId = await vscode.window.showInputBox({
      title: 'New upload profile (3/4): tenant',
      prompt: auth.auth === 'signIn' ? 'Directory (tenant) id or domain (empty: the account\'s home tenant)' : 'Directory (tenant) id or domain, e.g. contoso.onmicrosoft.com',
      ignoreFocusOut: true,
      validateInput: (v) => tenantInputProblem(v, auth.auth !== 'signIn'),
    });
    if (tenantId === undefined) return undefined;
    let clientId: string | undefined;
    let certificatePath: string | undefined;
    if (auth.auth !== 'signIn') {
      clientId = await vscode.window.showInputBox({
        title: 'New upload profile (4/4): application (client) id',
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'The app registration\'s application (client) id'),
      });
      if (clientId === undefined) return undefined;
      if (auth.auth === 'certificate') {
        const files = await vscode.window.showOpenDialog({ title: 'PEM file with the private key and certificate', canSelectMany: false, filters: { PEM: ['pem', 'crt', 'key'] } });
        if (!files?.[0]) return undefined;
        certificatePath = files[0].fsPath;
      }
    }
    const endpointUrl = stripPastedQuotes(url);
    const draft: UploadProfile = { name: '', endpoint: endpointUrl, tenantId: tenantId.trim() || undefined, clientId: clientId?.trim(), auth: auth.auth, certificatePath };
    const resolvedDraft = resolveProfile({ ...draft, name: 'new' });
    const name = await vscode.window.showInputBox({
      title: 'Name of the new upload profile',
      value: suggestProfileName(resolvedDraft.endpoint, this.profiles()),
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'A name'),
    });
    if (name === undefined) return undefined;
    const profile = { ...draft, name: name.trim() };
    await this.save(profile);
    this.log(`saved upload profile '${profile.name}' (${resolvedDraft.endpoint.url})`);
    return resolveProfile(profile);
  }
}
