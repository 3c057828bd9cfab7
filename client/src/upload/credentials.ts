/**
 * Sign-in for test uploads. Client secrets (and certificate passphrases) live only in SecretStorage, keyed by the
 * profile's full resolved identity (endpoint origin, sign-in origin, tenant, client — see secretKey);
 * they are registered with redact() as soon as they are read, so no message path can print them.
 */
import * as vscode from 'vscode';
import {
  AuthError,
  certificateFromPemFile,
  clientCredentialsProvider,
  registerSecret,
  type TokenProvider,
} from '../../../src/targets/entra/upload';
import { resolveProfile, secretKey, type ResolvedProfile, type UploadProfile } from './profiles';

/** Delegated sign-in scopes (VS Code's Microsoft authentication provider). */
export const UPLOAD_SCOPE = 'https://graph.microsoft.com/SynchronizationData-User.Upload';
export const LOGS_SCOPE = 'https://graph.microsoft.com/AuditLog.Read.All';
export const SYNC_SCOPE = 'https://graph.microsoft.com/Synchronization.ReadWrite.All';
/** Keys we ever stored, so "Clear Stored Credentials" also finds those of renamed or deleted profiles. */
const KEY_INDEX = 'scimmap.upload.secretKeys';

export class Credentials {
  /** msal apps per profile + secret, so that cached tokens survive between uploads of one session. */
  private readonly providers = new Map<string, TokenProvider>();

  constructor(private readonly context: vscode.ExtensionContext) {}

  async storeSecret(r: ResolvedProfile, value: string, kind: 'clientSecret' | 'certificatePassphrase' = 'clientSecret'): Promise<void> {
    registerSecret(value);
    const key = secretKey(r, kind);
    await this.context.secrets.store(key, value);
    const keys = new Set(this.context.globalState.get<string[]>(KEY_INDEX, []));
    keys.add(key);
    await this.context.globalState.update(KEY_INDEX, [...keys]);
    this.forget(r.profile);
  }

  /** A secret under a key of another module (SCIM profiles: scimSecretKey), indexed so Clear Stored Credentials finds it. */
  async storeKeyed(key: string, value: string): Promise<void> {
    registerSecret(value);
    await this.context.secrets.store(key, value);
    const keys = new Set(this.context.globalState.get<string[]>(KEY_INDEX, []));
    keys.add(key);
    await this.context.globalState.update(KEY_INDEX, [...keys]);
  }

  async getKeyed(key: string): Promise<string | undefined> {
    const v = await this.context.secrets.get(key);
    registerSecret(v);
    return v;
  }

  async hasSecret(r: ResolvedProfile): Promise<boolean> {
    return (await this.context.secrets.get(secretKey(r))) !== undefined;
  }

  /** Deletes every stored secret (also those of profiles no longer in the settings) and the cached tokens. */
  async clearAll(profiles: UploadProfile[]): Promise<number> {
    const keys = new Set(this.context.globalState.get<string[]>(KEY_INDEX, []));
    for (const p of profiles) {
      let r: ResolvedProfile;
      try {
        r = resolveProfile(p);
      } catch {
        continue; // an invalid profile never had a secret stored under its identity
      }
      for (const kind of ['clientSecret', 'certificatePassphrase'] as const) keys.add(secretKey(r, kind));
    }
    let removed = 0;
    for (const k of keys) {
      if ((await this.context.secrets.get(k)) !== undefined) removed++;
      await this.context.secrets.delete(k);
    }
    await this.context.globalState.update(KEY_INDEX, []);
    this.providers.clear();
    return removed;
  }

  forget(p: UploadProfile): void {
    for (const k of [...this.providers.keys()]) if (k.startsWith(`${p.name}\u0000`)) this.providers.delete(k);
  }

  /** Asks for a client secret in a password box and stores it. Returns undefined when the user cancels. */
  async askSecret(r: ResolvedProfile): Promise<string | undefined> {
    const p = r.profile;
    const value = await vscode.window.showInputBox({
      title: `Client secret for '${p.name}'`,
      prompt: `The client secret of app ${p.clientId ?? '?'} in tenant ${p.tenantId ?? '?'}, sent only to ${new URL(r.authorityHost).host}. It is kept in VS Code's secret storage only.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'The secret is empty'),
    });
    if (value === undefined) return undefined;
    await this.storeSecret(r, value.trim());
    return value.trim();
  }

  /**
   * A token provider for the profile; asks for a missing client secret when `interactive`. Nothing is sent yet:
   * msal only signs in on the first getToken(), which the upload calls after the confirmation.
   */
  async tokenProvider(r: ResolvedProfile, purpose: 'upload' | 'logs' | 'sync', interactive: boolean): Promise<TokenProvider | undefined> {
    const p = r.profile;
    if (p.auth === 'signIn') return sessionProvider(p, purpose === 'upload' ? UPLOAD_SCOPE : purpose === 'sync' ? SYNC_SCOPE : LOGS_SCOPE, interactive);
    if (p.auth === 'certificate') {
      const passphrase = await this.context.secrets.get(secretKey(r, 'certificatePassphrase'));
      registerSecret(passphrase);
      const cacheKey = `${p.name}\u0000cert\u0000${secretKey(r, 'certificatePassphrase')}`;
      const hit = this.providers.get(cacheKey);
      if (hit) return hit;
      let certificate;
      try {
        certificate = certificateFromPemFile(p.certificatePath!, passphrase);
      } catch (e) {
        if (!(e instanceof AuthError) || !/decrypt/.test(e.message) || !interactive) throw e;
        const entered = await vscode.window.showInputBox({
          title: `Passphrase of the private key for '${p.name}'`,
          password: true,
          ignoreFocusOut: true,
        });
        if (entered === undefined) return undefined;
        certificate = certificateFromPemFile(p.certificatePath!, entered);
        await this.storeSecret(r, entered, 'certificatePassphrase');
      }
      const provider = clientCredentialsProvider({ tenantId: p.tenantId!, clientId: p.clientId!, certificate, authorityHost: r.authorityHost, endpoint: r.endpoint });
      this.providers.set(cacheKey, provider);
      return provider;
    }
    let secret = await this.context.secrets.get(secretKey(r));
    if (secret === undefined) {
      if (!interactive) return undefined;
      secret = await this.askSecret(r);
      if (secret === undefined) return undefined;
    }
    registerSecret(secret);
    // The cache key holds no secret: a stored secret change goes through storeSecret(), which forgets the provider.
    const cacheKey = `${p.name}\u0000secret\u0000${secretKey(r)}\u0000${r.endpoint.scope}`;
    let provider = this.providers.get(cacheKey);
    if (!provider) {
      provider = clientCredentialsProvider({ tenantId: p.tenantId!, clientId: p.clientId!, clientSecret: secret, authorityHost: r.authorityHost, endpoint: r.endpoint });
      this.providers.set(cacheKey, provider);
    }
    return provider;
  }
}

/**
 * Delegated sign-in through VS Code's Microsoft authentication provider. The tenant is pinned with the provider's
 * `VSCODE_TENANT:` pseudo-scope when the profile names one, so an account in several tenants uploads to the right one.
 */
function sessionProvider(p: UploadProfile, scope: string, interactive: boolean): TokenProvider {
  const scopes = [scope];
  if (p.tenantId && !['common', 'organizations'].includes(p.tenantId.toLowerCase())) scopes.push(`VSCODE_TENANT:${p.tenantId}`);
  return {
    description: `your Microsoft account (delegated ${scope.split('/').pop()}) at login.microsoftonline.com`,
    // VS Code's Microsoft authentication provider signs in to the public cloud.
    signInOrigin: 'https://login.microsoftonline.com',
    async getToken(forceRefresh = false): Promise<string> {
      const session = forceRefresh
        ? await vscode.authentication.getSession('microsoft', scopes, { forceNewSession: { detail: 'Entra rejected the previous token; sign in again to continue the upload.' } })
        : interactive
          ? await vscode.authentication.getSession('microsoft', scopes, { createIfNone: true })
          : await vscode.authentication.getSession('microsoft', scopes, { silent: true });
      if (!session) throw new AuthError('not signed in: run "Show Provisioning Results" to sign in');
      registerSecret(session.accessToken);
      return session.accessToken;
    },
  };
}
