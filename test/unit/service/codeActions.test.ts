import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { doCodeActions } from '../../../src/service/features';
import { applyTextEdits, HEAD, PEOPLE } from './cursor';
import { featureContext, FILE, validate } from './validate';
import { validateMapping } from '../../../src/engine/validate';
import { inferFields } from '../../../src/engine/readers';

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

/** The values a mapping key yields on each record after the checks (what a payload would carry). */
async function valuesOf(text: string, key: string, records: Record<string, unknown>[]): Promise<unknown[]> {
  const r = await validateMapping(text, {
    filePath: FILE, host: { readText: () => undefined, exists: () => true },
    getSample: async (path) => ({ path, version: String(Math.random()), records, keys: records.map(() => undefined), truncated: false, warnings: [], fields: inferFields(records.map((value, index) => ({ index, value }))) }),
  });
  const stats = r.evaluation?.targets.get(key);
  assert.ok(stats, `no values for ${key}`);
  return [...stats.values];
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
  const NAMES = '  userName: $lowercase(FirstName & "." & LastName) & "@contoso.com"\n';
  /** The actions offered for the first diagnostic with this code and attribute (none may be offered). */
  async function offered(text: string, code: string, attribute: string, records = PEOPLE): Promise<string[]> {
    const f = await fixes(text, code, records, (d) => (d.data as { attribute?: string } | undefined)?.attribute === attribute);
    assert.equal((f.diagnostic.data as { verified?: boolean }).verified, true, 'checked on the sample');
    return f.actions.map((a) => a.title);
  }

  it('adds externalId from source.key, at the end of the mappings with their indentation', async () => {
    const text = `${SRC}mappings:\n    userName: Email\n    active: Status = "Active"\nbulk:\n  size: 10\n`;
    const f = await fixes(text, 'missing-required');
    assert.deepEqual(f.actions.map((a) => a.title), ["Add 'externalId: WorkerID' (a unique value on 3 of 3 sample records)"]);
    const next = f.apply();
    assert.match(next, /\n {4}active: Status = "Active"\n {4}externalId: WorkerID\nbulk:/);
    assert.deepEqual((await codes(next)).sort(), EMAIL_GAP);
  });

  it('guesses an id field by name without source.key; numbers become $string()', async () => {
    const records = PEOPLE.map(({ WorkerID, ...r }) => ({ ...r, personIdExternal: WorkerID }));
    const text = `${HEAD}source:\n  sample: people.json\nmappings:\n  userName: Email\n  active: Status = "Active"`;
    const next = (await fixes(text, 'missing-required', records)).apply();
    assert.match(next, /active: Status = "Active"\n {2}externalId: personIdExternal$/);
    assert.deepEqual((await codes(next, records)).sort(), EMAIL_GAP);
    const numbers = PEOPLE.map(({ WorkerID, ...r }, i) => ({ ...r, EmployeeId: 700 + i }));
    assert.deepEqual(await offered(text, 'missing-required', 'externalId', numbers), ["Add 'externalId: $string(EmployeeId)' (a unique value on 3 of 3 sample records)"]);
  });

  it('adds userName for target entra from an e-mail field, counting the records it gives a sign-in name', async () => {
    const text = `${SRC}mappings:\n  externalId: WorkerID\n  active: Status = "Active"\n`;
    const f = await fixes(text, 'missing-required');
    assert.match(String(f.diagnostic.message), /userName.*userPrincipalName/);
    assert.deepEqual(f.actions.map((a) => a.title), ["Add 'userName: Email' (a sign-in name on 2 of 3 sample records)"]);
    const next = f.apply();
    assert.match(next, /userName: Email\n$/);
    assert.deepEqual((await codes(next)).sort(), EMAIL_GAP, 'the record without an e-mail is then reported on the line');
  });

  it('adds userName from an e-mail field for target scim', async () => {
    const text = `scimmap: 1\ntarget: scim\nsource:\n  sample: people.json\nmappings:\n  externalId: WorkerID\n`;
    const next = (await fixes(text, 'missing-required')).apply();
    assert.match(next, /userName: Email\n$/);
    assert.deepEqual((await codes(next)).sort(), EMAIL_GAP);
  });

  it('offers no stub that would be empty, made up or not a sign-in name', async () => {
    const text = `${SRC}mappings:\n  active: Status = "Active"\n`;
    // Only a status: no id-like or e-mail-like field to guess from.
    const bare = PEOPLE.map((r) => ({ Status: r.Status, Grade: 'A' }));
    assert.deepEqual(await offered(text, 'missing-required', 'externalId', bare), []);
    assert.deepEqual(await offered(text, 'missing-required', 'userName', bare), []);
    // The fields exist but are empty on every record.
    const empty = PEOPLE.map((r) => ({ Status: r.Status, WorkerID: '', Email: '' }));
    assert.deepEqual(await offered(text, 'missing-required', 'externalId', empty), []);
    assert.deepEqual(await offered(text, 'missing-required', 'userName', empty), []);
    // Every record has the same id (not a key), and a login that is no user@domain.
    const same = PEOPLE.map((r) => ({ Status: r.Status, WorkerID: 'W1', Login: 'jdoe' }));
    assert.deepEqual(await offered(text, 'missing-required', 'externalId', same), []);
    assert.deepEqual(await offered(text, 'missing-required', 'userName', same), []);
  });

  it('offers no stub without a sample to check it against', async () => {
    const text = `${HEAD}mappings:\n  title: Title\n`;
    const ctx = featureContext(text, []);
    const ds = (await validate(text, [])).filter((d) => d.code === 'missing-required' || d.code === 'active-unmapped');
    assert.deepEqual(ds.map((d) => (d.data as { attribute: string }).attribute), ['externalId', 'userName', 'active']);
    assert.deepEqual(doCodeActions(ctx, ds[0].range, ds), []);
  });

  it('adds active from a status field and its values', async () => {
    const text = `${SRC}mappings:\n  externalId: WorkerID\n${NAMES}`;
    const next = (await fixes(text, 'active-unmapped')).apply();
    assert.match(next, /active: Status = "Active"\n$/);
    assert.deepEqual(await codes(next), []);
    const flags = PEOPLE.map((r, i) => ({ WorkerID: r.WorkerID, FirstName: r.FirstName, LastName: r.LastName, IsTerminated: i === 1 }));
    assert.match((await fixes(text, 'active-unmapped', flags)).apply(), /active: \$not\(IsTerminated\)/);
    // No status-like field: no `active: true` (that would enable every account, leavers too).
    const noStatus = PEOPLE.map((r) => ({ WorkerID: r.WorkerID, FirstName: r.FirstName, LastName: r.LastName }));
    assert.deepEqual(await offered(text, 'active-unmapped', 'active', noStatus), []);
  });
});

describe('quick fixes: values', () => {
  const EXT = `${SRC}extensions:\n  urn:ietf:params:scim:schemas:extension:contoso:1.0:User:\n    HireDate: dateTime\nmappings:\n  externalId: WorkerID\n  userName: $lowercase(FirstName & "." & LastName) & "@contoso.com"\n  active: Status = "Active"\n`;
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

  it('wraps in $string() and $number() after checking the result on the sample; no $boolean()', async () => {
    let f = await fixes(`${BASE}  title: 1 + 2\n`, 'type-mismatch');
    let next = f.apply();
    assert.match(next, /title: \$string\(1 \+ 2\)\n/);
    assert.match(f.actions[0].title, /checked on 3 sample records/);
    assert.deepEqual(await codes(next), []);
    const ext = EXT.replace('HireDate: dateTime', 'HireDate: dateTime\n    Grade: integer\n    Flag: boolean');
    next = (await fixes(`${ext}  urn:ietf:params:scim:schemas:extension:contoso:1.0:User:Grade: 'FirstName & "x" ? "4" & "2"'\n`, 'type-mismatch')).apply();
    assert.match(next, /Grade: '\$number\(FirstName & "x" \? "4" & "2"\)'/);
    assert.deepEqual(await codes(next), []);
    // Text that is not a yes/no word: no conversion is right, so none is offered.
    f = await fixes(`${ext}  urn:ietf:params:scim:schemas:extension:contoso:1.0:User:Flag: |\n    FirstName & "x"\n`, 'type-mismatch');
    assert.deepEqual(f.actions.map((a) => a.title), []);
  });

  it('a text literal where a boolean or number belongs is rewritten exactly', async () => {
    const ext = EXT.replace('HireDate: dateTime', 'HireDate: dateTime\n    Grade: integer\n    Flag: boolean');
    let next = (await fixes(`${ext}  urn:ietf:params:scim:schemas:extension:contoso:1.0:User:Flag: '"False"'\n`, 'type-mismatch')).apply();
    assert.match(next, /Flag: 'false'\n/);
    assert.deepEqual(await codes(next), []);
    next = (await fixes(`${ext}  urn:ietf:params:scim:schemas:extension:contoso:1.0:User:Grade: '"42"'\n`, 'type-mismatch')).apply();
    assert.match(next, /Grade: '42'\n/);
    assert.deepEqual(await codes(next), []);
  });

  it('without a sample, only the $string()/$number() wraps whose type is certain', async () => {
    const noSample = `${HEAD}mappings:\n  externalId: WorkerID\n  userName: $lowercase(FirstName & "." & LastName) & "@contoso.com"\n  active: Status = "Active"\n`;
    const ext = `${noSample.replace('mappings:', 'extensions:\n  urn:x:contoso:User:\n    Flag: boolean\nmappings:')}`;
    const text = `${ext}  title: 1 + 2\n  urn:x:contoso:User:Flag: FirstName & "x"\n`;
    const diagnostics = (await validate(text, [])).filter((d) => d.code === 'type-mismatch');
    assert.equal(diagnostics.length, 2);
    const ctx = featureContext(text, []);
    const titles = diagnostics.map((d) => doCodeActions(ctx, d.range, [d]).map((a) => a.title));
    assert.deepEqual(titles, [['Convert with $string()'], []]);
  });

  it('writes a constant as text', async () => {
    const f = await fixes(`${BASE}  title: 42\n`, 'type-mismatch');
    assert.match(f.apply(), /title: '"42"'/);
    assert.match(f.apply('Convert with $string()'), /title: \$string\(42\)/);
    assert.ok(!f.actions.some((a) => /\$boolean/.test(a.title)));
    assert.deepEqual(await codes(f.apply()), []);
  });

  it('wraps from a sample-type message', async () => {
    const records = PEOPLE.map((r, i) => ({ ...r, Level: i }));
    const next = (await fixes(`${BASE}  title: Level\n`, 'sample-type', records)).apply();
    assert.match(next, /title: \$string\(Level\)/);
    assert.deepEqual(await codes(next, records), []);
    assert.deepEqual(await valuesOf(next, 'title', records), ['0', '1', '2']);
  });
});

describe('quick fixes checked against the sample: booleans', () => {
  const FLAG = 'urn:x:contoso:User:Flag';
  const EXT = `${SRC}extensions:\n  urn:x:contoso:User:\n    Flag: boolean\nmappings:\n  externalId: WorkerID\n  userName: $lowercase(FirstName & "." & LastName) & "@contoso.com"\n  active: Status = "Active"\n`;
  const withFlags = (flags: unknown[]) => PEOPLE.concat(PEOPLE).slice(0, flags.length).map((r, i) => ({ ...r, WorkerID: `W${i}`, IsManager: flags[i] }));

  for (const [name, flags, want] of [
    ['True/False in any case', ['True', 'False', 'true', 'FALSE'], [true, false, true, false]],
    ['Yes/No', ['Yes', 'No', ' yes ', 'no'], [true, false, true, false]],
    ['Y/N', ['Y', 'N', 'n', 'y'], [true, false, false, true]],
    ['1/0 as text', ['1', '0', '0', '1'], [true, false, false, true]],
    ['1/0 as JSON numbers', [1, 0, 0, 1], [true, false, false, true]],
    ['only True, some empty', ['True', '', 'True', ''], [true, undefined, true, undefined]],
  ] as const) {
    it(`maps ${name} as the sample has them; "False" never becomes true`, async () => {
      const records = withFlags([...flags]);
      const f = await fixes(`${EXT}  ${FLAG}: IsManager\n`, 'sample-type', records);
      assert.deepEqual(f.actions.map((a) => a.title).filter((t) => /\$boolean/.test(t)), [], 'no $boolean() fix');
      assert.equal(f.actions.length, 1, f.actions.map((a) => a.title).join(' | '));
      assert.match(f.actions[0].title, /^Map the sample's values: .*→ (true|false).*; any other value: no value \(checked on 4 sample records\)$/);
      const next = f.apply();
      assert.deepEqual(await valuesOf(next, FLAG, records), [...want]);
      assert.ok(!(await codes(next, records)).includes('sample-type'));
      // A value the sample did not have gets no value (the record-level checks see it), never a silent false.
      const later = withFlags(['maybe', flags[0], 'Nope']);
      assert.deepEqual(await valuesOf(next, FLAG, later), [undefined, want[0], undefined]);
    });
  }

  it('a checked fix is not applied to an expression edited since the check', async () => {
    const records = withFlags(['True', 'False']);
    const f = await fixes(`${EXT}  ${FLAG}: IsManager\n`, 'sample-type', records);
    assert.equal(f.actions.length, 1);
    const edited = `${EXT}  ${FLAG}: IsManagr\n`; // typed into before the next diagnostics arrived
    assert.deepEqual(doCodeActions(featureContext(edited, records), f.diagnostic.range, [f.diagnostic]), []);
  });

  it('shows which value maps to what', async () => {
    const f = await fixes(`${EXT}  ${FLAG}: IsManager\n`, 'sample-type', withFlags(['True', 'False', 'True']));
    assert.equal(f.actions[0].title, `Map the sample's values: "True" → true, "False" → false; any other value: no value (checked on 3 sample records)`);
  });

  it('active: Status = "active" (wrong case) is not a type problem; active: Status with Active/Inactive gets no mapping fix', async () => {
    const records = withFlags(['x', 'y', 'z']).map((r, i) => ({ ...r, Status: i ? 'Inactive' : 'Active' }));
    const text = `${SRC}mappings:\n  externalId: WorkerID\n  userName: $lowercase(FirstName & "." & LastName) & "@contoso.com"\n  active: Status\n`;
    const f = await fixes(text, 'sample-type', records);
    assert.deepEqual(f.actions, []);
  });
});

describe('quick fixes checked against the sample: dates and numbers', () => {
  const EXT = `${SRC}extensions:\n  urn:x:contoso:User:\n    HireDate: dateTime\n    Grade: integer\nmappings:\n  externalId: WorkerID\n  userName: $lowercase(FirstName & "." & LastName) & "@contoso.com"\n  active: Status = "Active"\n`;
  const HIRE = 'urn:x:contoso:User:HireDate';
  const withDates = (dates: unknown[]) => PEOPLE.map((r, i) => ({ ...r, HireDate: dates[i] }));

  it('a Workday date with an offset: the message and the fix keep the offset', async () => {
    const records = withDates(['2014-10-10-07:00', '2019-01-02-08:00', '']);
    const f = await fixes(`${EXT}  ${HIRE}: HireDate\n`, 'date-format', records);
    assert.match(String(f.diagnostic.message), /insert the time before the offset: "2014-10-10T00:00:00-07:00"/);
    assert.doesNotMatch(String(f.diagnostic.message), /T00:00:00Z/);
    assert.match(f.actions[0].title, /"2014-10-10-07:00" → "2014-10-10T00:00:00-07:00"/);
    const next = f.apply();
    assert.deepEqual(await valuesOf(next, HIRE, records), ['2014-10-10T00:00:00-07:00', '2019-01-02T00:00:00-08:00', undefined]);
  });

  it('a plain date: the message names the value with a time appended', async () => {
    const f = await fixes(`${EXT}  ${HIRE}: HireDate\n`, 'date-format');
    assert.match(String(f.diagnostic.message), /append a time: "2020-03-16T00:00:00Z"/);
    assert.deepEqual(await valuesOf(f.apply(), HIRE, PEOPLE), ['2020-03-16T00:00:00Z', '2019-01-02T00:00:00Z', '2021-07-30T00:00:00Z']);
  });

  it('mixed shapes (plain, offset, already a dateTime) get one fix that is right for each', async () => {
    const records = withDates(['2014-10-10-07:00', '2019-01-02', '2021-07-30T08:00:00Z']);
    const next = (await fixes(`${EXT}  ${HIRE}: HireDate\n`, 'date-format', records)).apply();
    assert.deepEqual(await valuesOf(next, HIRE, records), ['2014-10-10T00:00:00-07:00', '2019-01-02T00:00:00Z', '2021-07-30T08:00:00Z']);
  });

  it('a shape it cannot read with confidence: no fix at all', async () => {
    const records = withDates(['2014-10-10', '10/11/2014', '']);
    assert.deepEqual((await fixes(`${EXT}  ${HIRE}: HireDate\n`, 'date-format', records)).actions, []);
  });

  it('$number() is offered only when every sample value is a number (empty cells omitted)', async () => {
    const key = 'urn:x:contoso:User:Grade';
    const records = PEOPLE.map((r, i) => ({ ...r, Level: ['4', '', '7'][i] }));
    const f = await fixes(`${EXT}  ${key}: Level\n`, 'sample-type', records);
    const next = f.apply();
    assert.match(next, /Grade: Level \? \$number\(Level\)/);
    assert.deepEqual(await valuesOf(next, key, records), [4, undefined, 7]);
    const bad = PEOPLE.map((r, i) => ({ ...r, Level: ['4', 'n/a', '7'][i] }));
    assert.deepEqual((await fixes(`${EXT}  ${key}: Level\n`, 'sample-type', bad)).actions, []);
  });
});

describe('quick fixes: an unquoted expression that YAML misreads', () => {
  const cases: [string, string, RegExp][] = [
    ['CountryCode = "UK" ? "GB" : CountryCode', 'addresses[type eq "work"].country', /a nested mapping/],
    ['Status = "Active" ? true : false', 'active', /a nested mapping/],
    ['"Mr " & LastName', 'displayName', /a quoted string followed by more text/],
    ["'Dr' & LastName", 'displayName', /a quoted string followed by more text/],
    ['`Cost Center`', 'title', /cannot start with `/],
    ['FirstName & " #" & LastName', 'displayName', /comment/],
    ['{"a": FirstName}.a', 'nickName', /a nested mapping/],
    ["FirstName & \"'s\" & LastName", 'nickName', /a quoted string|nested|comment|YAML/],
  ];
  const MAPPINGS = `${SRC}mappings:\n  externalId: WorkerID\n  userName: Email\n`;
  for (const [expr, key, reason] of cases) {
    it(`${key}: ${expr}`, async () => {
      const text = `${MAPPINGS}  ${key}: ${expr}\n  name.familyName: LastName\n`;
      const all = await validate(text, PEOPLE);
      const found = all.filter((d) => d.code === 'unquoted-expression');
      if (/'s/.test(expr)) {
        // YAML reads this one as written (a plain scalar may contain quotes): nothing to fix.
        assert.deepEqual(found, []);
        return;
      }
      assert.equal(found.length, 1, JSON.stringify(all));
      assert.match(String(found[0].message), reason);
      assert.match(String(found[0].message), /quote this expression$/);
      assert.deepEqual(all.filter((d) => d.code === 'yaml-syntax' || d.code === 'mapping-structure'), [], 'one clear diagnostic');
      const next = (await fixes(text, 'unquoted-expression')).apply('Quote this expression');
      // Re-parsed, the value is exactly the intended expression, and the file checks clean.
      const parsed = parseDocument(next).toJS() as { mappings: Record<string, unknown> };
      assert.equal(parsed.mappings[key], expr);
      assert.equal(parsed.mappings['name.familyName'], 'LastName');
      const after = (await codes(next)).filter((c) => ['unquoted-expression', 'yaml-syntax', 'mapping-structure', 'jsonata-syntax'].includes(c));
      assert.deepEqual(after, []);
    });
  }

  it('in let bindings too, and a trailing comment stays a comment', async () => {
    const text = `${SRC}let:\n  gb: CountryCode = "UK" ? "GB" : CountryCode   # ISO 3166\nmappings:\n  externalId: WorkerID\n  userName: Email\n  active: true\n  addresses[type eq "work"].country: $gb\n`;
    const f = await fixes(text, 'unquoted-expression');
    const next = f.apply('Quote this expression');
    assert.match(next, /\n {2}gb: 'CountryCode = "UK" \? "GB" : CountryCode' {3}# ISO 3166\n/);
    assert.equal((parseDocument(next).toJS() as { let: Record<string, string> }).let.gb, 'CountryCode = "UK" ? "GB" : CountryCode');
  });

  it('the fixed country mapping yields GB for UK on the sample', async () => {
    const records = PEOPLE.map((r, i) => ({ ...r, CountryCode: ['UK', 'DE', 'GB'][i] }));
    const text = `${SRC}mappings:\n  externalId: WorkerID\n  userName: Email\n  active: true\n  addresses[type eq "work"].country: CountryCode = "UK" ? "GB" : CountryCode\n`;
    const next = (await fixes(text, 'unquoted-expression', records)).apply('Quote this expression');
    assert.deepEqual(await valuesOf(next, 'addresses[type eq "work"].country', records), ['GB', 'DE', 'GB']);
  });
});
