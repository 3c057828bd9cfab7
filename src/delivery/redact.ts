/**
 * Secret scrubbing for every message path of the upload engine (progress, errors, CLI output, journal).
 * Known secrets are registered as they come into existence (client secret, private key, each access token),
 * and a few shape-based patterns catch what was never registered (bearer headers, JWTs, PEM keys, form fields).
 * A registered secret is also removed in the encoded forms a server or library may echo it in: URL-encoded
 * (percent and form encoding, either hex case) and base64 / base64url, also inside a longer encoded string
 * (e.g. `Basic base64(client:secret)`).
 */
const REDACTED = '[REDACTED]';
/** Every literal to remove: the secrets and their encodings. Longest first, so a longer form is never half-removed. */
const needles = new Set<string>();
let ordered: string[] = [];

/** Remember a secret so that `redact()` removes it from any text. Short values are ignored (too many false hits). */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value !== 'string' || value.length < 6 || needles.has(value)) return;
  for (const form of encodedForms(value)) if (form.length >= 6) needles.add(form);
  ordered = [...needles].sort((a, b) => b.length - a.length);
}

/** The secret and what it looks like URL-encoded and base64-encoded. Exported for tests. */
export function encodedForms(value: string): string[] {
  const forms = new Set<string>([value]);
  const pct = encodeURIComponent(value);
  const formEncoded = new URLSearchParams({ v: value }).toString().slice(2);
  for (const f of [pct, formEncoded]) {
    forms.add(f);
    forms.add(lowerHex(f));
  }
  // base64 of the secret at each of the three alignments it can have inside a longer encoded string: only the
  // characters that depend on the secret's bytes alone (none of the neighbours') are kept.
  const bytes = Buffer.from(value, 'utf8');
  for (let k = 0; k < 3; k++) {
    const shifted = Buffer.concat([Buffer.alloc(k), bytes]);
    const from = Math.ceil((8 * k) / 6);
    const to = Math.floor((8 * (k + bytes.length)) / 6);
    if (to - from < 8) continue;
    const b64 = shifted.toString('base64').slice(from, to);
    forms.add(b64);
    forms.add(b64.split('+').join('-').split('/').join('_'));
  }
  return [...forms];
}

/** %2f instead of %2F (both are valid; some encoders write lower case). */
function lowerHex(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%' && i + 2 < s.length) {
      out += s.slice(i, i + 3).toLowerCase();
      i += 2;
    } else out += s[i];
  }
  return out;
}

const JWT_CHAR = /[A-Za-z0-9_-]/;
const WORD_CHAR = /\w/;

/**
 * JWT-looking strings (tokens, client assertions): what `/\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.?[A-Za-z0-9_-]*\/g`
 * replaces, as a scan. The regex is quadratic on a long run like `-eyJaaaaaa-eyJaaaaaa…` without a dot (every
 * `-eyJ` starts a new attempt that runs to the end of the run); here the end of a run is found once.
 */
export function redactJwts(text: string): string {
  let out = '';
  let copied = 0;
  let runEnd = -1; // end of the run of JWT characters that the last candidate started in
  const endOfRun = (from: number): number => {
    if (from < runEnd) return runEnd;
    let i = from;
    while (i < text.length && JWT_CHAR.test(text[i])) i++;
    return i;
  };
  for (let at = text.indexOf('eyJ'); at >= 0; at = text.indexOf('eyJ', at + 1)) {
    if (at > 0 && WORD_CHAR.test(text[at - 1])) continue; // \b: 'e' is a word character
    const first = (runEnd = endOfRun(at + 3));
    if (first - (at + 3) < 6 || text[first] !== '.') continue;
    const second = endOfRun(first + 1);
    if (second - (first + 1) < 6) continue;
    let end = second;
    if (text[end] === '.') end = endOfRun(end + 1);
    out += text.slice(copied, at) + REDACTED;
    copied = end;
    at = end - 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

const PATTERNS: Array<[RegExp, string] | ((text: string) => string)> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED],
  // A bearer credential after "Bearer ": prose such as "a bearer token" is kept (a short all-letter word is no
  // credential; a registered secret is redacted above whatever its shape).
  (text) => text.replace(/(\bBearer\s+)([A-Za-z0-9\-._~+/]+=*)/gi, (all, lead: string, tok: string) => (tok.length < 20 && /^[A-Za-z]+$/.test(tok) ? all : lead + REDACTED)),
  redactJwts,
  // key=value / "key": "value" forms of credential fields.
  [
    /((?:client_secret|client_assertion|access_token|refresh_token|password|clientSecret|accessToken|authorization)["']?\s*[=:]\s*["']?)[^"'&\s,}]+/gi,
    `$1${REDACTED}`,
  ],
];

/** Remove every registered secret (and its encodings) and anything shaped like a credential from `text`. */
export function redact(text: string): string {
  let out = String(text);
  for (const s of ordered) if (out.includes(s)) out = out.split(s).join(REDACTED);
  for (const p of PATTERNS) out = typeof p === 'function' ? p(out) : out.replace(p[0], p[1]);
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
