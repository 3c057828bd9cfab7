/**
 * "Start Local Entra Stand-in": one stand-in per window, a profile pointing at it, and the only client secret it
 * accepts (generated at start, kept in SecretStorage), so no other process on this machine can get a token from it.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { DEFAULT_JOB_ID, startStandIn, type StandIn } from '../../../src/targets/entra/standin';
import type { Credentials } from './credentials';
import type { ProfilePicker } from './profilePicker';
import { previousStandInPort, resolveProfile, STAND_IN_CLIENT, standInProfile } from './profiles';

export class LocalStandIn implements vscode.Disposable {
  private standIn?: StandIn;
  /** The one client secret the running stand-in accepts (generated at start; also in SecretStorage). */
  private standInSecret?: string;

  constructor(private readonly deps: { output: vscode.LogOutputChannel; profiles: ProfilePicker; credentials: Credentials; log: (line: string) => void }) {}

  /** Starts it (or reuses the running one), saves its profile and offers Send Test Upload. Trust is checked by the caller. */
  async start(): Promise<void> {
    const fresh = !this.standIn;
    if (!this.standIn) {
      const port = previousStandInPort(this.deps.profiles.profiles());
      // This instance accepts exactly one client: the stand-in profile's, with a secret generated now and kept in
      // SecretStorage. Another process or a web page on this machine cannot get a token from it.
      const secret = randomBytes(24).toString('base64url');
      this.standInSecret = secret;
      const opts = {
        // One line per request: debug level (the output channel's level menu shows them when wanted).
        log: (line: string) => this.deps.output.debug(`[stand-in] ${line}`),
        clients: [{ clientId: STAND_IN_CLIENT, clientSecret: secret }],
      };
      try {
        this.standIn = await startStandIn({ ...opts, port: port ?? 0 });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
        this.standIn = await startStandIn({ ...opts, port: 0 });
      }
    }
    const s = this.standIn;
    const profile = standInProfile(s.endpointUrl(DEFAULT_JOB_ID));
    await this.deps.profiles.save(profile);
    // A fresh instance replaces any secret an earlier one left under the same identity (same port); a running one
    // puts its secret back if it was cleared ("Clear Stored Credentials") meanwhile.
    const resolvedStandIn = resolveProfile(profile);
    if (this.standInSecret && (fresh || !(await this.deps.credentials.hasSecret(resolvedStandIn)))) await this.deps.credentials.storeSecret(resolvedStandIn, this.standInSecret);
    this.deps.log(`stand-in listening on ${s.url}; profile '${profile.name}' → ${profile.endpoint}`);
    void vscode.window.showInformationMessage(`Local Entra stand-in running at ${s.url} (profile '${profile.name}'). Nothing sent to it leaves this machine.`, 'Send Test Upload…').then((a) => {
      if (a) void vscode.commands.executeCommand('scimmap.sendTestUpload');
    });
  }

  dispose(): void {
    void this.standIn?.close();
    this.standIn = undefined;
  }
}
