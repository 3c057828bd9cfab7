/**
 * Secret scrubbing for every message path of the upload engine (progress, errors, CLI output, journal).
 * Known secrets are registered as they come into existence (client secret, private key, each access token),
 * and a few shape-based patterns catch what was never registered (bearer headers, JWTs, PEM keys, form fields).
 */
const REDACTED = '[REDACTED]';
const secrets = new Set<string>();

/** Remember a secret so that `redact()` removes it from any text. Short values are ignored (too many false hits). */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value === 'string' && value.length >= 6) secrets.add(value);
}

const PATTERNS: Array<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED],
  [/(\bBearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, `$1${REDACTED}`],
  // JWT-looking strings (tokens, client assertions).
  [/\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.?[A-Za-z0-9_-]*/g, REDACTED],
  // key=value / "key": "value" forms of credential fields.
  [
    /((?:client_secret|client_assertion|access_token|refresh_token|password|clientSecret|accessToken|authorization)["']?\s*[=:]\s*["']?)[^"'&\s,}]+/gi,
    `$1${REDACTED}`,
  ],
];

/** Remove every registered secret and anything shaped like a credential from `text`. */
export function redact(text: string): string {
  let out = String(text);
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
  for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
  return out;
}

/** One redacted line describing any thrown value (message only: stacks can carry request bodies). */
export function redactError(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as Error & { cause?: unknown }).cause;
    const causeText = cause instanceof Error && cause.message && !e.message.includes(cause.message) ? ` (${cause.message})` : '';
    return redact(`${e.message}${causeText}`);
  }
  return redact(String(e));
}
