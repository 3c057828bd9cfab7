/**
 * userName as an Entra sign-in name (userPrincipalName). Entra's username policy ("Password policies and
 * account restrictions in Microsoft Entra ID"): characters A–Z a–z 0–9 ' . - _ ! # ^ ~ before the "@", no other
 * "@", no "." right before the "@", at most 64 characters before and 48 after the "@", 113 in all. The domain
 * must be one of the tenant's verified domains; without that list it must at least be a DNS name.
 * Procedural checks (no backtracking regular expressions on user text).
 */

const LOCAL_CHARS = /^[A-Za-z0-9'._!#^~-]+$/;

/** A DNS host name: dot-separated labels of 1–63 letters, digits or inner hyphens; the last is not all digits. */
export function isDnsName(s: string): boolean {
  if (s.length < 1 || s.length > 253) return false;
  const labels = s.split('.');
  if (labels.length < 2) return false;
  for (const l of labels) {
    if (l.length < 1 || l.length > 63 || l.startsWith('-') || l.endsWith('-')) return false;
    for (let i = 0; i < l.length; i++) {
      const c = l.charCodeAt(i);
      const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45;
      if (!ok) return false;
    }
  }
  return !/^\d+$/.test(labels[labels.length - 1]);
}

export interface SignInProblem {
  code: 'user-name-format' | 'user-name-domain';
  message: string;
}

/** Checks one userName; `domains` (lower case) are the tenant's verified domains when known. */
export function checkSignInName(v: string, domains?: readonly string[]): SignInProblem | undefined {
  const show = JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);
  const bad = (why: string): SignInProblem => ({ code: 'user-name-format', message: `userName ${show} is not a sign-in name (user@domain): ${why}` });
  const at = v.indexOf('@');
  if (at < 0) return bad('it has no "@domain" (Entra answers InvalidDomainName)');
  if (v.indexOf('@', at + 1) >= 0) return bad('it has more than one "@"');
  const local = v.slice(0, at);
  const domain = v.slice(at + 1);
  if (!local) return bad('nothing before the "@"');
  if (!LOCAL_CHARS.test(local)) {
    const c = [...local].find((ch) => !LOCAL_CHARS.test(ch));
    return bad(`${JSON.stringify(c)} is not allowed before the "@" (letters A–Z, digits and ' . - _ ! # ^ ~ only)`);
  }
  if (local.startsWith('.')) return bad('it starts with a "."');
  if (local.endsWith('.')) return bad('a "." right before the "@" is not allowed');
  if (local.includes('..')) return bad('two dots in a row before the "@"');
  if (local.length > 64) return bad(`${local.length} characters before the "@" (at most 64)`);
  if (domain.length > 48) return bad(`${domain.length} characters after the "@" (at most 48)`);
  if (v.length > 113) return bad(`${v.length} characters (at most 113)`);
  if (domains && domains.length) {
    if (!domains.includes(domain.toLowerCase())) {
      return { code: 'user-name-domain', message: `userName ${show}: ${JSON.stringify(domain)} is not one of the tenant's verified domains (${domains.join(', ')}); Entra answers InvalidDomainName` };
    }
    return undefined;
  }
  if (!isDnsName(domain)) return { code: 'user-name-domain', message: `userName ${show}: ${JSON.stringify(domain)} is not a domain name such as contoso.com` };
  return undefined;
}
