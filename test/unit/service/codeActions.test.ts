import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { doCodeActions } from '../../../src/service/features';
import { applyTextEdits, HEAD, PEOPLE } from './cursor';
import { featureContext, validate } from './validate';

const SRC = `${HEAD}source:\n  sample: people.json\n  key: WorkerID\n`;

interface Fixed {
  actions: CodeAction[];
  diagnostic: Diagnostic;
  /** Applies the action with this title (default: the preferred one) and returns the new text. */
  apply(title?: string | RegExp): string;
}

async function fixes(text: string, code: string, records = PEOPLE, pick: (d: Diagnostic) => boolean = () => true): Promise<Fixed> {
  const diagnostics = (await validate(text, records)).filter((d) => d.code === code && pick(d));
  assert.ok(diagnostics.length, `no ${code} diagnostic in:\n${text}\n${JSON.stringify(await validate(text, records), null, 1)}`);
  const ctx = featureContext(text, records);
  const diagnostic = diagnostics[0];
  const actions = doCodeActions(ctx, diagnostic.range, [diagnostic]);
  return {
    actions, diagnostic,
    apply(title) {
      const a = title === undefined ? actions.find((x) => x.isPreferred) : actions.find((x) => (typeof title === 'string' ? x.title === title : title.test(x.title)));
      assert.ok(a, `no action ${String(title)} in ${actions.map((x) => x.title).join(' | ')}`);
      const next = applyTextEdits(text, a.edit!.changes![ctx.document.uri]);
      assert.equal(parseDocument(next).errors.length, 0, `the fix leaves valid YAML:\n${next}`);
      return next;
    },
  };
}

async function codes(text: string, records = PEOPLE): Promise<string[]> {
  return (await validate(text, records)).map((d) => String(d.code));
}

// userName from the names: W102 has no e-mail, and an empty userName is a record error.
const BASE = `${SRC}mappings:\n  externalId: WorkerID\n  userName: $lowercase(FirstName & "." & LastName) & "@contoso.com"\n  active: Status = "Active"\n`;

describe('quick fixes: did you mean', () => {
  it('renames an unknown attribute', async () => {
    const f = await fixes(`${BASE}  displayNmae: FirstName\n`, 'unknown-attribute');
    const next = f.apply("Change to 'displayName'");
    assert.match(next, /\n {2}displayName: FirstName\n/);
    assert.deepEqual(await codes(next), []);
  });

  it('fixes a canonical value in a filter', async () => {
    const f = await fixes(`${BASE}  phoneNumbers[type eq "wrok"].value: Phones[0].Number\n`, 'type-mismatch');
    const next = f.apply();
    assert.match(next, /phoneNumbers\[type eq "work"\]\.value/);
    assert.ok(!(await codes(next)).includes('type-mismatch'));
  });

  it('replaces an unknown field, unknown function and unknown variable', async () => {
    let next = (await fixes(`${BASE}  displayName: FirstNmae & " " & LastName\n`, 'unknown-field')).apply("Change to 'FirstName'");
    assert.deepEqual(await codes(next), []);
    next = (await fixes(`${BASE}  title: $lowercse(FirstName)\n`, 'unknown-function')).apply("Change to '$lowercase'");
    assert.deepEqual(await codes(next), []);
    const withLet = BASE.replace('mappings:', `let:\n  domain: '"contoso.com"'\nmappings:`);
    next = (await fixes(`${withLet}  title: FirstName & $domian\n`, 'unknown-variable')).apply("Change to '$domain'");
    assert.deepEqual(await codes(next), []);
  });

  it('quotes the value when the replacement cannot stand as a plain scalar', async () => {
    const next = (await fixes(`${BASE}  title: Cost_Center\n`, 'unknown-field')).apply('Change to \'`Cost Center`\'');
    assert.match(next, /title: '`Cost Center`'\n/);
    assert.deepEqual(await codes(next), []);
  });

  it('edits inside double-quoted scalars with escapes', async () => {
    const next = (await fixes(`${BASE}  displayName: "FirstName & \\" \\" & LastNmae"\n`, 'unknown-field')).apply("Change to 'LastName'");
    assert.match(next, /displayName: "FirstName & \\" \\" & LastName"/);
    assert.deepEqual(await codes(next), []);
  });

  it('names the element of a multi-valued attribute', async () => {
    const next = (await fixes(`${BASE}  emails.value: Email\n`, 'invalid-path')).apply();
    assert.match(next, /emails\[type eq "work"\]\.value: Email/);
    assert.deepEqual(await codes(next), []);
  });

  it('fixes a misspelt structure key and target', async () => {
    let next = (await fixes(BASE.replace('target: entra', 'target: entr'), 'mapping-structure')).apply();
    assert.match(next, /target: entra/);
    assert.deepEqual(await codes(next), []);
    next = (await fixes(BASE.replace('  key: WorkerID', '  kee: WorkerID'), 'mapping-structure')).apply();
    assert.deepEqual(await codes(next), []);
  });
});

/** userName: Email leaves W102 (no e-mail) without a sign-in name: the record check reports it, nothing else. */
const EMAIL_GAP = ['missing-user-name', 'records-fail'];

describe('quick fixes: missing mappings', () => {
  it('adds externalId from source.key, at the end of the mappings with their indentation', async () => {
    const text = `${SRC}mappings:\n    userName: Email\n    active: Status = "Active"\nbulk:\n  size: 10\n`;
    const next = (await fixes(text, 'missing-required')).apply();
    assert.match(next, /\n {4}active: Status = "Active"\n {4}externalId: WorkerID\nbulk:/);
    assert.deepEqual((await codes(next)).sort(), EMAIL_GAP);
  });

  it('guesses an id field by name without source.key', async () => {
    const records = PEOPLE.map(({ WorkerID, ...r }) => ({ ...r, personIdExternal: WorkerID }));
    const text = `${HEAD}source:\n  sample: people.json\nmappings:\n  userName: Email\n  active: Status = "Active"`;
    const next = (await fixes(text, 'missing-required', records)).apply();
    assert.match(next, /active: Status = "Active"\n {2}externalId: personIdExternal$/);
    assert.deepEqual((await codes(next, records)).sort(), EMAIL_GAP);
  });

  it('adds userName from an e-mail field for target scim', async () => {
    const text = `scimmap: 1\ntarget: scim\nsource:\n  sample: people.json\nmappings:\n  externalId: WorkerID\n`;
    const next = (await fixes(text, 'missing-required')).apply();
    assert.match(next, /userName: Email\n$/);
    assert.deepEqual((await codes(next)).sort(), EMAIL_GAP);
  });

  it('adds active from a status field and its values', async () => {
    const text = `${SRC}mappings:\n  externalId: WorkerID\n`;
    const next = (await fixes(text, 'active-unmapped')).apply();
    assert.match(next, /active: Status = "Active"\n$/);
    assert.deepEqual(await codes(next), []);
    const flags = PEOPLE.map((r, i) => ({ WorkerID: r.WorkerID, IsTerminated: i === 1 }));
    assert.match((await fixes(text, 'active-unmapped', flags)).apply(), /active: \$not\(IsTerminated\)/);
  });
});

describe('quick fixes: values', () => {
  const EXT = `${SRC}extensions:\n  urn:ietf:params:scim:schemas:extension:contoso:1.0:User:\n    HireDate: dateTime\nmappings:\n  externalId: WorkerID\n  active: Status = "Active"\n`;
  const HIRE = 'urn:ietf:params:scim:schemas:extension:contoso:1.0:User:HireDate';

  it('turns a bare word into a JSONata string', async () => {
    const f = await fixes(`${BASE}  userType: Employee\n`, 'unknown-field');
    const next = f.apply('Use the text "Employee"');
    assert.match(next, /userType: '"Employee"'\n/);
    assert.deepEqual(await codes(next), []);
  });

  it('makes a date an xsd:dateTime', async () => {
    const next = (await fixes(`${EXT}  ${HIRE}: HireDate\n`, 'date-format')).apply();
    assert.match(next, /HireDate: HireDate \? HireDate & "T00:00:00Z"\n/);
    assert.deepEqual(await codes(next), []);
  });

  it('keeps Workday offsets with $substring', async () => {
    const records = PEOPLE.map((r) => ({ ...r, HireDate: `${r.HireDate}-07:00` }));
    const next = (await fixes(`${EXT}  ${HIRE}: 'Personal.Nick ? HireDate : HireDate'\n`, 'date-format', records)).apply();
    assert.match(next, /\$substring\(\$d, 0, 10\) & "T00:00:00" & \$substring\(\$d, 10\)/);
    assert.deepEqual(await codes(next, records), []);
  });

  it('reads dd.mm.yyyy dates with a picture, and guesses nothing for ambiguous formats', async () => {
    const dotted = PEOPLE.map((r, i) => ({ ...r, HireDate: `0${i + 1}.05.2021` }));
    const next = (await fixes(`${EXT}  ${HIRE}: HireDate\n`, 'date-format', dotted)).apply();
    assert.match(next, /HireDate: HireDate \? \$fromMillis\(\$toMillis\(HireDate, "\[D01\]\.\[M01\]\.\[Y0001\]"\)\)/);
    assert.deepEqual(await codes(next, dotted), []);
    const slashed = PEOPLE.map((r, i) => ({ ...r, HireDate: `0${i + 1}/05/2021` }));
    assert.deepEqual((await fixes(`${EXT}  ${HIRE}: HireDate\n`, 'date-format', slashed)).actions, []);
  });

  it('fixes a date-only literal', async () => {
    const next = (await fixes(`${EXT}  ${HIRE}: '"2020-01-01"'\n`, 'date-format')).apply();
    assert.match(next, /'"2020-01-01T00:00:00Z"'/);
    assert.deepEqual(await codes(next), []);
  });

  it('wraps in $string(), $number(), $boolean() from data.wrap', async () => {
    let next = (await fixes(`${BASE}  title: 1 + 2\n`, 'type-mismatch')).apply();
    assert.match(next, /title: \$string\(1 \+ 2\)\n/);
    assert.deepEqual(await codes(next), []);
    const ext = EXT.replace('HireDate: dateTime', 'HireDate: dateTime\n    Grade: integer\n    Flag: boolean');
    next = (await fixes(`${ext}  urn:ietf:params:scim:schemas:extension:contoso:1.0:User:Grade: '"4" & "2"'\n`, 'type-mismatch')).apply();
    assert.match(next, /Grade: '\$number\("4" & "2"\)'/);
    assert.deepEqual(await codes(next), []);
    next = (await fixes(`${ext}  urn:ietf:params:scim:schemas:extension:contoso:1.0:User:Flag: |\n    FirstName & "x"\n`, 'type-mismatch')).apply();
    assert.match(next, /Flag: \|\n {4}\$boolean\(FirstName & "x"\)\n/);
    assert.deepEqual(await codes(next), []);
  });

  it('writes a constant as text', async () => {
    const f = await fixes(`${BASE}  title: 42\n`, 'type-mismatch');
    assert.match(f.apply(), /title: '"42"'/);
    assert.match(f.apply('Convert with $string()'), /title: \$string\(42\)/);
    assert.deepEqual(await codes(f.apply()), []);
  });

  it('wraps from a sample-type message', async () => {
    const records = PEOPLE.map((r, i) => ({ ...r, Level: i }));
    const next = (await fixes(`${BASE}  title: Level\n`, 'sample-type', records)).apply();
    assert.match(next, /title: \$string\(Level\)/);
    assert.deepEqual(await codes(next, records), []);
  });
});
