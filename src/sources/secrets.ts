/**
 * Secrets for connectors come from environment variables NAMED in the mapping (CLI) or from VS Code's
 * SecretStorage under the same names (client/src/sources). The mapping never holds a value.
 */
import { envNameProblem } from '../engine/mapping/sourceFrom';
import { SourceError } from './errors';

export type SecretLookup = (name: string) => string | undefined | Promise<string | undefined>;

export function envSecrets(env: NodeJS.ProcessEnv): SecretLookup {
  return (name) => env[name];
}

/** The value of a named secret; refuses SCIMMAP_* again here (defence in depth: configs may not come from parse). */
export async function requireSecret(lookup: SecretLookup, name: string | undefined, connector: string, what: string): Promise<string> {
  if (!name) throw new SourceError(connector, `no environment variable named for the ${what}`);
  const problem = envNameProblem(name);
  if (problem) throw new SourceError(connector, problem);
  const v = await lookup(name);
  if (v === undefined || v === '') throw new SourceError(connector, `the ${what} is missing: set the environment variable ${name}`);
  return v;
}
