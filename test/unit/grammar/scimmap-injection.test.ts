import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRegistry, dump, hasRealYaml, repoRoot, scopesOf, tokenize, type Token } from './textmate';

const MAPPING = `scimmap: 1
name: Workday workers to Entra ID # trailing comment
source:
  sample: workers.csv
  key: WorkerID
target: entra
extensions:
  urn:ietf:params:scim:schemas:extension:contoso:1.0:User:
    HireDate: dateTime
let:   # bindings
  domain: '"contoso.com"'
  quoted: "$uppercase(\\"x\\")"
mappings:
  externalId: WorkerID
  userName: $lowercase(FirstName & "." & LastName) & "@" & $domain
  active: Status = "Active" # a YAML comment, not JSONata
  # a comment line inside the block
  emails[type eq "work"].value: WorkEmail
  emails[type eq "work"].primary: true
  urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value: ManagerID
  description: |
    $join([FirstName, LastName], " ")
    & $trim(Title)

  displayName:
    $string(PreferredName)
  nickName: 'It''s ' & $substringBefore(Nick, " ")
after: plain yaml again
`;

const SCIMMAP = 'source.scimmap';
const JSONATA = /\.jsonata$/;

function isJsonata(scopes: string[]): boolean {
  return scopes.some((s) => JSONATA.test(s));
}

function assertKey(t: Token[], key: string, occurrence = 1): void {
  const scopes = scopesOf(t, key, occurrence);
  assert.ok(scopes.includes('entity.name.tag.yaml'), `${key} should be a YAML key:\n${scopes.join(' ')}`);
  assert.ok(!isJsonata(scopes), `${key} should carry no JSONata scope:\n${scopes.join(' ')}`);
}

function assertJsonata(t: Token[], needle: string, scope: string, occurrence = 1): void {
  const scopes = scopesOf(t, needle, occurrence);
  assert.ok(scopes.includes(scope), `${needle} should have ${scope}:\n${scopes.join(' ')}\n\n${dump(t)}`);
  assert.ok(scopes.some((s) => s.startsWith('meta.embedded.')), `${needle} should be inside meta.embedded.*`);
}

function assertNotJsonata(t: Token[], needle: string, occurrence = 1): void {
  const scopes = scopesOf(t, needle, occurrence);
  assert.ok(!isJsonata(scopes), `${needle} should be plain YAML:\n${scopes.join(' ')}`);
}

function suite(yaml: 'fixture' | 'vscode'): void {
  const label = yaml === 'fixture' ? 'stand-in YAML' : "VS Code's YAML";
  const skip = yaml === 'vscode' && !hasRealYaml ? 'VS Code YAML grammar not installed (npm run install:code-server)' : false;
  const tokens = async (text = MAPPING): Promise<Token[]> => tokenize(createRegistry(yaml), SCIMMAP, text);

  test(`injection (${label}): YAML keeps keys and values outside mappings/let`, { skip }, async () => {
    const t = await tokens();
    for (const key of ['scimmap', 'name', 'source', 'sample', 'target', 'extensions', 'HireDate', 'after']) assertKey(t, key);
    for (const value of ['Workday workers', 'workers.csv', 'entra', 'dateTime', 'plain yaml again']) {
      assertNotJsonata(t, value);
    }
    assert.ok(scopesOf(t, 'trailing comment').some((s) => s.startsWith('comment.line')));
  });

  test(`injection (${label}): mapping keys are YAML keys, including URNs and value filters`, { skip }, async () => {
    const t = await tokens();
    for (const key of ['let', 'domain', 'mappings', 'externalId', 'userName', 'active', 'description', 'displayName']) {
      assertKey(t, key);
    }
    assertKey(t, 'emails[type eq "work"].value');
    assertKey(t, 'eq "work"].primary');
    assertKey(t, 'urn:ietf:params:scim:schemas:extension:enterprise');
    assertKey(t, 'manager.value');
    assert.ok(scopesOf(t, ': ManagerID').includes('punctuation.separator.map.value.yaml'));
  });

  test(`injection (${label}): plain mapping values are JSONata`, { skip }, async () => {
    const t = await tokens();
    assertJsonata(t, 'WorkerID', 'variable.other.member.jsonata', 2);
    assertJsonata(t, 'lowercase', 'support.function.builtin.jsonata');
    assertJsonata(t, 'FirstName', 'variable.other.member.jsonata');
    assertJsonata(t, '"."', 'string.quoted.double.jsonata');
    assertJsonata(t, '& "@"', 'keyword.operator.concatenation.jsonata');
    assertJsonata(t, '$domain', 'variable.other.jsonata');
    assertJsonata(t, '= "Active"', 'keyword.operator.comparison.jsonata');
    assertJsonata(t, 'true', 'constant.language.boolean.jsonata');
    assertJsonata(t, 'ManagerID', 'variable.other.member.jsonata');
  });

  test(`injection (${label}): comments inside the block stay YAML comments`, { skip }, async () => {
    const t = await tokens();
    for (const c of ['a YAML comment', 'a comment line inside', 'bindings']) {
      const scopes = scopesOf(t, c);
      assert.ok(scopes.includes('comment.line.number-sign.yaml'), `${c}: ${scopes.join(' ')}`);
      assert.ok(!isJsonata(scopes));
    }
  });

  test(`injection (${label}): quoted values are JSONata inside YAML quotes`, { skip }, async () => {
    const t = await tokens();
    const open = scopesOf(t, `'"contoso`);
    assert.ok(open.includes('punctuation.definition.string.begin.yaml'), open.join(' '));
    assertJsonata(t, 'contoso.com', 'string.quoted.double.jsonata');
    assertJsonata(t, 'uppercase', 'support.function.builtin.jsonata');
    assert.ok(scopesOf(t, '\\"x').includes('constant.character.escape.yaml'));
    assert.ok(scopesOf(t, "''s").includes('constant.character.escape.single-quote.yaml'));
    assertJsonata(t, 'substringBefore', 'support.function.builtin.jsonata');
  });

  test(`injection (${label}): block scalars and next-line values are JSONata until the indentation ends`, { skip }, async () => {
    const t = await tokens();
    assert.ok(scopesOf(t, '|').includes('keyword.control.flow.block-scalar.literal.yaml'));
    assertJsonata(t, 'join', 'support.function.builtin.jsonata');
    assertJsonata(t, 'LastName]', 'variable.other.member.jsonata');
    assertJsonata(t, 'trim', 'support.function.builtin.jsonata');
    assert.ok(scopesOf(t, 'join').includes('meta.embedded.block.jsonata'));
    assertKey(t, 'displayName');
    assertJsonata(t, 'string(', 'support.function.builtin.jsonata');
    assertKey(t, 'nickName');
  });

  test(`injection (${label}): a top-level comment does not end the block; a top-level key does`, { skip }, async () => {
    const t = await tokens('mappings:\n# note\n  a: $now()\nname: $now()\n');
    assert.ok(scopesOf(t, 'note').includes('comment.line.number-sign.yaml'));
    assertJsonata(t, 'now', 'support.function.builtin.jsonata');
    assertNotJsonata(t, '$now', 2);
  });
}

suite('fixture');
suite('vscode');

test('injection: plain YAML files (source.yaml) get no JSONata', async () => {
  const t = await tokenize(createRegistry(), 'source.yaml', MAPPING);
  assert.ok(!t.some((tok) => isJsonata(tok.scopes)), dump(t.filter((tok) => isJsonata(tok.scopes))));
});

test('package.json wires the injection to our language only', async () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const injection = pkg.contributes.grammars.find((g: { injectTo?: string[] }) => g.injectTo);
  assert.deepEqual(injection.injectTo, ['source.scimmap']);
  const grammar = JSON.parse(readFileSync(join(repoRoot, injection.path), 'utf8'));
  assert.equal(grammar.scopeName, injection.scopeName);
  assert.match(grammar.injectionSelector, /^L:source\.scimmap\b/);
  const langs = pkg.contributes.languages.map((l: { id: string; extensions: string[] }) => [l.id, l.extensions]);
  assert.deepEqual(langs, [['scimmap', ['.scimmap.yaml']], ['jsonata', ['.jsonata']]]);
});
