import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, TextEdit } from 'vscode-languageserver-types';
import { doComplete } from '../../../src/service/features';
import { snippetToPlain } from '../../../src/service/features/snippet';
import { applyTextEdits, at, HEAD, Options, PEOPLE } from './cursor';

function complete(text: string, opts: Options = { sample: PEOPLE }): { items: CompletionItem[]; labels: string[]; apply: (label: string) => string } {
  const c = at(text, opts);
  const items = doComplete(c.ctx, c.position).items;
  return {
    items,
    labels: items.map((i) => i.label),
    apply: (label) => {
      const item = items.find((i) => i.label === label);
      assert.ok(item, `no item ${label} in ${items.map((i) => i.label).join(', ')}`);
      const edit = item.textEdit as TextEdit;
      // Snippet placeholders collapse to their default text for the assertion.
      const newText = item.insertTextFormat === 2 ? snippetToPlain(edit.newText) : edit.newText;
      return applyTextEdits(c.text, [{ range: edit.range, newText }]);
    },
  };
}

describe('completion: mapping keys', () => {
  it('offers core attributes with type, cardinality, required and mutability', () => {
    const { items, labels } = complete(`${HEAD}mappings:\n  externalId: WorkerID\n  dis|\n`);
    assert.ok(labels.includes('displayName'));
    assert.ok(labels.includes('userName'));
    assert.ok(!labels.includes('externalId'), 'already mapped');
    assert.ok(!labels.includes('id') && !labels.includes('meta') && !labels.includes('groups'), 'read-only attributes are not offered');
    const userName = items.find((i) => i.label === 'userName')!;
    assert.equal(userName.detail, 'string · single-valued · required · readWrite');
    assert.match((userName.documentation as { value: string }).value, /Entra/);
  });

  it('completes a half-typed key (no colon yet) and adds the colon', () => {
    const { apply } = complete(`${HEAD}mappings:\n  externalId: WorkerID\n  tit|\n  active: true\n`);
    assert.match(apply('title'), /\n {2}title: \n {2}active: true/);
  });

  it('offers sub-attributes after a dot', () => {
    const { labels, apply } = complete(`${HEAD}mappings:\n  name.gi|\n`);
    assert.deepEqual(labels.sort(), ['familyName', 'formatted', 'givenName', 'honorificPrefix', 'honorificSuffix', 'middleName'].sort());
    assert.match(apply('givenName'), /name\.givenName: /);
  });

  it('offers canonical values inside [type eq "', () => {
    const { labels, apply } = complete(`${HEAD}mappings:\n  emails[type eq "w|\n`);
    assert.deepEqual(labels, ['work', 'home', 'other']);
    assert.match(apply('work'), /emails\[type eq "work"\]\n/);
  });

  it('offers the filter sub-attributes after [', () => {
    const { labels } = complete(`${HEAD}mappings:\n  phoneNumbers[|\n`);
    assert.ok(labels.includes('type eq'));
  });

  it('offers element sub-attributes after ].', () => {
    const { labels } = complete(`${HEAD}mappings:\n  emails[type eq "work"].|\n`);
    assert.ok(labels.includes('value') && labels.includes('primary'));
    assert.ok(!labels.includes('type'), 'the filter already sets type');
  });

  it('offers multi-valued attributes as an element snippet', () => {
    const { items } = complete(`${HEAD}mappings:\n  ema|\n`);
    const el = items.find((i) => i.label === 'emails[type eq "…"]')!;
    assert.ok(el);
    assert.match((el.textEdit as TextEdit).newText, /^emails\[type eq "\$\{1\|work,home,other\|\}"\]\.\$\{2\|value,display,primary\|\}: $/);
  });

  it('offers enterprise and declared extension attributes with their URN', () => {
    const text = `${HEAD}extensions:\n  urn:ietf:params:scim:schemas:extension:contoso:1.0:User:\n    HireDate: dateTime\nmappings:\n  urn:ietf:params:scim:schemas:extension:|\n`;
    const { labels } = complete(text);
    assert.ok(labels.includes('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber'));
    assert.ok(labels.includes('urn:ietf:params:scim:schemas:extension:contoso:1.0:User:HireDate'));
    assert.ok(labels.includes('urn:ietf:params:scim:schemas:extension:contoso:1.0:User:'));
  });

  it('offers the attributes of a schema after its URN and sub-attributes of manager', () => {
    const urn = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    assert.ok(complete(`${HEAD}mappings:\n  ${urn}:dep|\n`).labels.includes(`${urn}:department`));
    assert.ok(complete(`${HEAD}mappings:\n  ${urn}:manager.|\n`).labels.includes('value'));
  });
});

describe('completion: the file structure', () => {
  it('offers the missing top-level keys', () => {
    const { labels, apply } = complete(`${HEAD}mapp|\n`);
    assert.deepEqual(labels, ['name', 'source', 'app', 'domains', 'extensions', 'let', 'mappings', 'onInvalid', 'clear', 'checks', 'bulk', 'sync']);
    assert.match(apply('mappings'), /mappings:\n {2}externalId: EmployeeId/);
  });

  it('offers target values and source keys', () => {
    assert.deepEqual(complete('scimmap: 1\ntarget: e|\n').labels, ['entra', 'scim']);
    assert.deepEqual(complete(`${HEAD}source:\n  sample: x.csv\n  |\n`).labels, ['key', 'format', 'delimiter', 'encoding', 'from', 'duplicates']);
    // source.from: the keys of its type, and of auth and paging
    assert.deepEqual(complete(`${HEAD}source:\n  from:\n    type: sql\n    |\n`).labels, ['driver', 'connectionEnv', 'query', 'params', 'batchSize', 'timeoutSeconds']);
    assert.ok(complete(`${HEAD}source:\n  from:\n    type: rest\n    url: https://x.example.com\n    auth:\n      |\n`).labels.includes('tokenEnv'));
    assert.ok(complete(`${HEAD}source:\n  from:\n    type: rest\n    paging:\n      type: offset\n      |\n`).labels.includes('pageSize'));
    assert.deepEqual(complete(`${HEAD}source:\n  format: j|\n`).labels, ['csv', 'json', 'jsonl']);
    assert.deepEqual(complete(`${HEAD}source:\n  duplicates: f|\n`).labels.filter((l) => ['error', 'first', 'last'].includes(l)), ['error', 'first', 'last']);
    assert.deepEqual(complete(`${HEAD}onInvalid: d|\n`).labels.filter((l) => l.includes('-')), ['fail-record', 'drop-attribute']);
  });

  it('offers sample field names for source.key', () => {
    assert.ok(complete(`${HEAD}source:\n  key: W|\n`).labels.includes('WorkerID'));
  });
});

describe('completion: JSONata values', () => {
  it('offers sample fields with examples, functions and let bindings', () => {
    const { items, labels } = complete(`${HEAD}let:\n  domain: '"contoso.com"'\nmappings:\n  userName: Em|\n`);
    const email = items.find((i) => i.label === 'Email')!;
    assert.match(email.detail!, /string · e\.g\. "ana\.silva@contoso\.com"/);
    assert.ok(labels.includes('Personal.Legal_Name.First_Name'), 'nested paths');
    assert.ok(labels.includes('`Cost Center`'), 'names that need quoting are quoted');
    assert.ok(labels.includes('$join') && labels.includes('$domain'));
  });

  it('inserts functions as snippets', () => {
    const { items } = complete(`${HEAD}mappings:\n  displayName: $jo|\n`);
    const join = items.find((i) => i.label === '$join')!;
    assert.equal((join.textEdit as TextEdit).newText, '\\$join(${1:array}, ${2:separator})', 'the $ of the name is escaped: a snippet variable otherwise');
    assert.equal(join.insertTextFormat, 2);
  });

  it('offers the sub-fields after a dot', () => {
    const { labels, apply } = complete(`${HEAD}mappings:\n  name.givenName: Personal.Legal_Name.|\n`);
    assert.deepEqual(labels.sort(), ['First_Name', 'Last_Name']);
    assert.match(apply('First_Name'), /givenName: Personal\.Legal_Name\.First_Name\n/);
    assert.deepEqual(complete(`${HEAD}mappings:\n  title: Phones[Type = "work"].N|\n`).labels.sort(), ['Number', 'Type']);
    assert.deepEqual(complete(`${HEAD}mappings:\n  title: $lowercase(Personal.|)\n`).labels.sort(), ['Legal_Name', 'Nick']);
  });

  it('works inside single-quoted, double-quoted and block scalars', () => {
    assert.ok(complete(`${HEAD}mappings:\n  displayName: 'FirstName & " " & La|'\n`).labels.includes('LastName'));
    assert.ok(complete(`${HEAD}mappings:\n  displayName: "FirstName & \\" \\" & Personal.|"\n`).labels.includes('Legal_Name'));
    const block = complete(`${HEAD}mappings:\n  displayName: |\n    FirstName\n      & " " & $upp|\n  title: x\n`);
    assert.ok(block.labels.includes('$uppercase'));
    assert.match(block.apply('$uppercase'), /& " " & \$uppercase\(str\)\n/);
  });

  it('offers nothing inside a JSONata string, a comment or after the closing quote', () => {
    assert.deepEqual(complete(`${HEAD}mappings:\n  title: '"Sen|'\n`).labels, []);
    assert.deepEqual(complete(`${HEAD}mappings:\n  title: '/* no|'\n`).labels, []);
    assert.deepEqual(complete(`${HEAD}mappings:\n  title: 'Job' |\n`).labels, []);
  });

  it('offers only the bindings above a let binding, and names bound in the expression', () => {
    const { labels } = complete(`${HEAD}let:\n  a: '1'\n  b: '($x := 2; $|)'\n  c: '3'\nmappings:\n  title: x\n`);
    assert.ok(labels.includes('$a') && labels.includes('$x'));
    assert.ok(!labels.includes('$b') && !labels.includes('$c'));
  });

  it('offers lambda bindings as calls', () => {
    const { items } = complete(`${HEAD}let:\n  ascii: 'function($s) { $lowercase($s) }'\nmappings:\n  userName: $as|\n`);
    assert.equal((items.find((i) => i.label === '$ascii')!.textEdit as TextEdit).newText, '\\$ascii(${1:s})');
  });

  it('works with CRLF line ends', () => {
    const r = complete(`${HEAD}mappings:\r\n  title: Personal.|\r\n  active: true\r\n`);
    assert.deepEqual(r.labels.sort(), ['Legal_Name', 'Nick']);
    const name = complete(`scimmap: 1\r\ntarget: entra\r\nmappings:\r\n  na|\r\n`).items.find((i) => i.label === 'name')!;
    assert.equal((name.textEdit as TextEdit).newText, 'name.', 'complex attributes insert their dot');
  });

  it('completes a value typed on the line after its key', () => {
    assert.ok(complete(`${HEAD}mappings:\n  userName:\n    Ema|\n`).labels.includes('Email'));
  });

  it('completes without a sample (functions only)', () => {
    const r = complete(`${HEAD}mappings:\n  title: ¦\n`, { marker: '¦' });
    assert.ok(r.labels.includes('$string'));
    assert.ok(!r.labels.includes('Email'));
  });
});

describe('completion: clients without snippets, clients that filter by word', () => {
  const plainItems = (text: string) => {
    const c = at(text, { sample: PEOPLE });
    return { c, items: doComplete(c.ctx, c.position, { snippets: false }).items };
  };

  it('sends plain text to a client without snippet support: functions insert $name()', () => {
    const { items } = plainItems(`${HEAD}mappings:\n  displayName: $lowerc|\n`);
    const f = items.find((i) => i.label === '$lowercase')!;
    assert.equal(f.insertTextFormat, 1);
    assert.equal((f.textEdit as TextEdit).newText, '$lowercase()');
    assert.ok(items.every((i) => i.insertTextFormat !== 2), 'no snippet at all');
  });

  it('turns key snippets into their default text without snippet support', () => {
    const { items } = plainItems(`${HEAD}mappings:\n  ema|\n`);
    const el = items.find((i) => i.label === 'emails[type eq "…"]')!;
    assert.equal((el.textEdit as TextEdit).newText, 'emails[type eq "work"].value: ');
  });

  it('reads snippets back as the LSP grammar says', () => {
    assert.equal(snippetToPlain('\\$join(${1:array}, ${2:sep})$0'), '$join(array, sep)');
    assert.equal(snippetToPlain('a${1|x\\,y,z|}b${2:${3:in}ner}c\\}'), 'ax,ybinnerc}');
    assert.equal(snippetToPlain('"$1" \\\\ $'), '"" \\ $');
  });

  it('sets filterText only where it differs from the label, and URN items replace the typed prefix', () => {
    const text = `${HEAD}mappings:\n  urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:emp|\n`;
    const c = at(text, { sample: PEOPLE });
    const items = doComplete(c.ctx, c.position).items;
    const item = items.find((i) => i.label === 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber')!;
    assert.ok(item);
    assert.equal(item.filterText, undefined);
    const edit = item.textEdit as TextEdit;
    assert.deepEqual(edit.range.start, { line: c.position.line, character: 2 }, 'the range covers the whole typed URN');
    // A client that filters by word compares the text of the range with the inserted text.
    const typed = c.text.split('\n')[c.position.line].slice(2, c.position.character);
    assert.ok(edit.newText.startsWith(typed));
    for (const i of items) assert.ok(i.filterText === undefined || !i.label.startsWith(i.filterText), i.label);
  });

  it('sub-attributes replace only the typed segment (the label is what a word filter sees)', () => {
    const c = at(`${HEAD}mappings:\n  name.gi|\n`, { sample: PEOPLE });
    const item = doComplete(c.ctx, c.position).items.find((i) => i.label === 'givenName')!;
    assert.equal(item.filterText, undefined);
    assert.equal((item.textEdit as TextEdit).range.start.character, c.position.character - 2);
  });
});
