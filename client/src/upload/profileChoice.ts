/**
 * Which upload profile a command uses without asking, and how the picker describes an Entra profile. Pure (no
 * `vscode` import): profilePicker.ts adds the quick pick and the settings.
 */
import { resolveProfile, type ResolvedProfile, type UploadProfile } from './profiles';
import { resolveScimProfile, type ResolvedScimProfile, type ScimProfile } from './scimProfiles';

/**
 * The profile named by the caller (`preferred`, e.g. Resend failed: the run's own), else the default profile
 * setting ("use without asking"); undefined: ask. SCIM profiles count only when offered. Resolving throws for a
 * profile that is invalid or whose host is not allowed, with how to fix it.
 */
export function presetProfile(
  o: { profiles: readonly UploadProfile[]; scim: readonly ScimProfile[]; preferred?: string; defaultName?: string },
  env: NodeJS.ProcessEnv,
): ResolvedProfile | ResolvedScimProfile | undefined {
  for (const name of [o.preferred, o.defaultName]) {
    if (!name) continue;
    const entra = o.profiles.find((p) => p.name === name);
    if (entra) return resolveProfile(entra);
    const scim = o.scim.find((p) => p.name === name);
    if (scim) return resolveScimProfile(scim, env);
  }
  return undefined;
}

/** Entra profiles for the picker, the default first; each with where it sends, or why it is invalid. */
export function entraProfileRows(profiles: readonly UploadProfile[], defaultName?: string): Array<{ label: string; description?: string; detail: string; profile: UploadProfile }> {
  const ordered = [...profiles].sort((a, b) => Number(b.name === defaultName) - Number(a.name === defaultName));
  return ordered.map((p) => {
    let where: string;
    try {
      const r = resolveProfile(p);
      where = `${new URL(r.endpoint.origin).host} · job …${r.endpoint.jobId.slice(-8)}${r.endpoint.loopback ? ' · local stand-in' : ''}`;
    } catch (e) {
      where = `$(warning) ${(e as Error).message}`;
    }
    return { label: p.name, description: p.name === defaultName ? 'default' : undefined, detail: where, profile: p };
  });
}
