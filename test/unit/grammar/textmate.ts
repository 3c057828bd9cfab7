// Loads our grammars the way VS Code does — scope names, paths and `injectTo` read from package.json — and tokenizes text.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

export const repoRoot = resolve(__dirname, '../../../..');

/** VS Code's own YAML grammars, present once scripts/install-code-server.sh has run. */
export const realYamlDir = join(
  repoRoot,
  '.e2e/code-server/node_modules/code-server/lib/vscode/extensions/yaml/syntaxes',
);

interface GrammarContribution {
  scopeName: string;
  path: string;
  injectTo?: string[];
}

let onigLib: Promise<vsctm.IOnigLib> | undefined;
function loadOniguruma(): Promise<vsctm.IOnigLib> {
  onigLib ??= (async () => {
    const wasm = readFileSync(join(repoRoot, 'node_modules/vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    return {
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    };
  })();
  return onigLib;
}

/** Scope name → grammar file for every grammar in a folder (VS Code's YAML ships several that include each other). */
function grammarsIn(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.tmLanguage.json')) continue;
    const file = join(dir, name);
    const { scopeName } = JSON.parse(readFileSync(file, 'utf8')) as { scopeName: string };
    found.set(scopeName, file);
  }
  return found;
}

/** A registry with our contributed grammars plus a YAML grammar: the stand-in fixture, or VS Code's real one. */
export function createRegistry(yaml: 'fixture' | 'vscode' = 'fixture'): vsctm.Registry {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    contributes: { grammars: GrammarContribution[] };
  };
  const files = yaml === 'vscode'
    ? grammarsIn(realYamlDir)
    : new Map([['source.yaml', join(repoRoot, 'test/fixtures/grammar/yaml.tmLanguage.json')]]);
  const injections = new Map<string, string[]>();
  for (const g of pkg.contributes.grammars) {
    files.set(g.scopeName, join(repoRoot, g.path));
    for (const target of g.injectTo ?? []) injections.set(target, [...(injections.get(target) ?? []), g.scopeName]);
  }
  return new vsctm.Registry({
    onigLib: loadOniguruma(),
    loadGrammar: async (scopeName) => {
      const file = files.get(scopeName);
      return file ? vsctm.parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (scopeName) => injections.get(scopeName),
  });
}

export interface Token {
  line: number;
  text: string;
  scopes: string[];
}

export async function tokenize(registry: vsctm.Registry, scopeName: string, text: string): Promise<Token[]> {
  const grammar = await registry.loadGrammar(scopeName);
  if (!grammar) throw new Error(`grammar ${scopeName} not found`);
  const tokens: Token[] = [];
  let state = vsctm.INITIAL;
  text.split('\n').forEach((lineText, line) => {
    const r = grammar.tokenizeLine(lineText, state);
    for (const t of r.tokens) tokens.push({ line, text: lineText.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    state = r.ruleStack;
  });
  return tokens;
}

/**
 * The scopes of the token that covers the `occurrence`-th match of `needle` (first token starting inside it).
 * Throws with the line's tokens when nothing matches, so a failing assertion shows what the grammar did.
 */
export function scopesOf(tokens: Token[], needle: string, occurrence = 1): string[] {
  const lines = new Map<number, Token[]>();
  for (const t of tokens) lines.set(t.line, [...(lines.get(t.line) ?? []), t]);
  let seen = 0;
  for (const lineTokens of lines.values()) {
    const lineText = lineTokens.map((t) => t.text).join('');
    for (let at = lineText.indexOf(needle); at >= 0; at = lineText.indexOf(needle, at + 1)) {
      if (++seen !== occurrence) continue;
      let pos = 0;
      for (const t of lineTokens) {
        if (pos <= at && at < pos + t.text.length) return t.scopes;
        pos += t.text.length;
      }
    }
  }
  throw new Error(`"${needle}" (#${occurrence}) not found in:\n${dump(tokens)}`);
}

export function dump(tokens: Token[]): string {
  return tokens.map((t) => `${t.line}: ${JSON.stringify(t.text)} ${t.scopes.join(' ')}`).join('\n');
}

/** Checks install-code-server.sh's marker, not the folder: an install may be under way in a parallel e2e test. */
export const hasRealYaml = existsSync(join(repoRoot, '.e2e/code-server/.installed-4.100.3'));
