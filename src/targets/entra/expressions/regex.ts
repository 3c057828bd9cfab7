/**
 * Running the .NET regular expressions of Replace() safely in JavaScript. The pattern comes from the
 * provisioning app, the text from HR data, and JavaScript cannot interrupt a backtracking match, so a pattern is
 * only run when it is (a) in the syntax both engines read the same way and (b) free of the constructs that make
 * backtracking explode (a quantified group that itself repeats or alternates, backreferences). Anything else is
 * reported as computed by Entra; nothing is guessed.
 */

/** HR values are short; a longer input is not matched here. */
export const MAX_REGEX_INPUT = 2_000;

export type SafeRegex = { ok: true; regex: RegExp } | { ok: false; reason: string };

export function compileDotNetRegex(pattern: string): SafeRegex {
  if (pattern.length > 1_000) return { ok: false, reason: 'the pattern is longer than 1,000 characters' };
  const screen = screenPattern(pattern);
  if (screen) return { ok: false, reason: screen };
  try {
    return { ok: true, regex: new RegExp(pattern, 'gd') };
  } catch {
    return { ok: false, reason: 'the pattern uses .NET syntax that SCIM Mapper does not run' };
  }
}

/** One left-to-right pass; returns why the pattern is refused, or undefined. */
function screenPattern(p: string): string | undefined {
  // Per open group: does it contain a quantifier or an alternation?
  const stack: { risky: boolean }[] = [{ risky: false }];
  let lastGroupRisky: boolean | undefined;
  let i = 0;
  while (i < p.length) {
    const c = p[i];
    if (c === '\\') {
      const n = p[i + 1] ?? '';
      if (/[1-9k]/.test(n)) return 'backreferences are not run here';
      if (/[AZzG]/.test(n)) return `\\${n} has no JavaScript equivalent`;
      if (n === 'p' || n === 'P') return 'Unicode categories (\\p{…}) are read differently by .NET and JavaScript';
      i += 2;
      lastGroupRisky = undefined;
      continue;
    }
    if (c === '[') {
      i++;
      if (p[i] === '^') i++;
      if (p[i] === ']') i++;
      while (i < p.length && p[i] !== ']') {
        if (p[i] === '-' && p[i + 1] === '[') return 'character class subtraction is .NET only';
        if (p[i] === '\\' && (p[i + 1] === 'p' || p[i + 1] === 'P')) return 'Unicode categories (\\p{…}) are read differently by .NET and JavaScript';
        i += p[i] === '\\' ? 2 : 1;
      }
      if (i >= p.length) return 'unclosed character class';
      i++;
      lastGroupRisky = undefined;
      continue;
    }
    if (c === '(') {
      const head = p.slice(i, i + 3);
      if (head === '(?>' || head === '(?(' || head === "(?'" || /^\(\?[imnsx-]+[:)]/.test(p.slice(i, i + 12))) {
        return 'inline options, atomic groups, conditionals and (?\'name\') groups are .NET only';
      }
      stack.push({ risky: false });
      i++;
      continue;
    }
    if (c === ')') {
      const g = stack.pop();
      if (!g || stack.length === 0) return 'unbalanced parenthesis';
      lastGroupRisky = g.risky;
      i++;
      continue;
    }
    if (c === '|') {
      stack[stack.length - 1].risky = true;
      i++;
      lastGroupRisky = undefined;
      continue;
    }
    if (c === '*' || c === '+' || c === '{' || c === '?') {
      let repeats = c !== '?';
      if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i, i + 20));
        if (!m) {
          i++;
          lastGroupRisky = undefined;
          continue;
        }
        repeats = m[2] !== undefined && (m[3] === '' || Number(m[3]) > 1);
        i += m[0].length;
      } else i++;
      if (p[i] === '?' || p[i] === '+') i++; // lazy / possessive marker
      if (repeats && lastGroupRisky) return 'a repeated group that itself repeats or alternates can backtrack without bound';
      if (repeats) stack[stack.length - 1].risky = true;
      lastGroupRisky = undefined;
      continue;
    }
    lastGroupRisky = undefined;
    i++;
  }
  if (stack.length !== 1) return 'unbalanced parenthesis';
  return undefined;
}

/** .NET replacement syntax: $$, ${name}, $n, $&, $`, $', $+, $_ (read left to right). */
export function expandReplacement(template: string, m: RegExpExecArray, input: string): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if (c !== '$' || i + 1 >= template.length) {
      out += c;
      i++;
      continue;
    }
    const n = template[i + 1];
    if (n === '$') {
      out += '$';
      i += 2;
    } else if (n === '&') {
      out += m[0];
      i += 2;
    } else if (n === '`') {
      out += input.slice(0, m.index);
      i += 2;
    } else if (n === "'") {
      out += input.slice(m.index + m[0].length);
      i += 2;
    } else if (n === '_') {
      out += input;
      i += 2;
    } else if (n === '+') {
      out += m.length > 1 ? (m[m.length - 1] ?? '') : '';
      i += 2;
    } else if (n === '{') {
      const close = template.indexOf('}', i + 2);
      const name = close > 0 ? template.slice(i + 2, close) : '';
      const value = /^\d+$/.test(name) ? m[Number(name)] : m.groups?.[name];
      if (close < 0 || (value === undefined && !(name in (m.groups ?? {})) && !/^\d+$/.test(name))) {
        out += c; // .NET keeps an unknown ${name} literally
        i++;
      } else {
        out += value ?? '';
        i = close + 1;
      }
    } else if (n >= '0' && n <= '9') {
      let j = i + 1;
      while (j < template.length && template[j] >= '0' && template[j] <= '9' && Number(template.slice(i + 1, j + 1)) < m.length) j++;
      const k = Number(template.slice(i + 1, Math.max(j, i + 2)));
      if (k < m.length) {
        out += m[k] ?? '';
        i = Math.max(j, i + 2);
      } else {
        out += c;
        i++;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
