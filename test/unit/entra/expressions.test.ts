/**
 * Every example of Microsoft's "Reference for writing expressions for attribute mappings in Microsoft Entra ID"
 * (functions-for-customizing-application-data), with its documented input and output, plus the rules each
 * function's section states. Where the reference gives no output (Guid, RandomString, Now) the documented shape is
 * checked; where it depends on Entra (SelectUniqueValue, app roles) the result must be "computed by Entra".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EntraDate, evaluateExpressionText, Evaluation, EValue, parseExpression, toText } from '../../../src/targets/entra/expressions';

function run(expr: string, attrs: Record<string, EValue> = {}, extra: { now?: number; random?: () => number } = {}): Evaluation {
  return evaluateExpressionText(expr, {
    attribute: (n) => (n in attrs ? attrs[n] : null),
    now: extra.now === undefined ? undefined : () => extra.now!,
    random: extra.random,
  });
}

/** The value as Entra would write it into a string attribute. */
function text(expr: string, attrs: Record<string, EValue> = {}, extra: { now?: number; random?: () => number } = {}): string {
  const r = run(expr, attrs, extra);
  assert.equal(r.kind, 'value', `${expr} → ${JSON.stringify(r)}`);
  return toText((r as { value: EValue }).value, 'result');
}

function value(expr: string, attrs: Record<string, EValue> = {}): EValue {
  const r = run(expr, attrs);
  assert.equal(r.kind, 'value', `${expr} → ${JSON.stringify(r)}`);
  return (r as { value: EValue }).value;
}

function computedByEntra(expr: string, attrs: Record<string, EValue> = {}): string {
  const r = run(expr, attrs);
  assert.equal(r.kind, 'computedByEntra', `${expr} → ${JSON.stringify(r)}`);
  return (r as { reason: string }).reason;
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('Append: constant suffix to user name', () => {
  assert.equal(text('Append([userPrincipalName], ".test")', { userPrincipalName: 'John.Doe@contoso.com' }), 'John.Doe@contoso.com.test');
});

test('BitAnd(&HF, &HF7) returns 7', () => {
  assert.equal(value('BitAnd(&HF, &HF7)'), 7);
});

test('CBool([attribute1] = [attribute2]) is True when both attributes have the same value', () => {
  assert.equal(text('CBool([attribute1] = [attribute2])', { attribute1: 'x', attribute2: 'x' }), 'True');
  assert.equal(text('CBool([attribute1] = [attribute2])', { attribute1: 'x', attribute2: 'y' }), 'False');
  assert.equal(value('CBool(2)'), true);
  assert.equal(value('CBool(0)'), false);
});

test('CDate: the three documented examples return the UTC equivalent as M/d/yyyy h:mm:ss tt', () => {
  assert.equal(text('CDate([StatusHireDate])', { StatusHireDate: '2020-03-16-07:00' }), '3/16/2020 7:00:00 AM');
  assert.equal(text('CDate("2021-06-30+08:00")'), '6/29/2021 4:00:00 PM');
  assert.equal(text('CDate("2009-06-15T01:45:30-07:00")'), '6/15/2009 8:45:30 AM');
  assert.match(computedByEntra('CDate("the first of May")'), /cannot read/);
});

test('Coalesce: flow mail if not NULL, otherwise userPrincipalName', () => {
  assert.equal(text('Coalesce([mail],[userPrincipalName])', { userPrincipalName: 'John.Doe@contoso.com' }), 'John.Doe@contoso.com');
  assert.equal(text('Coalesce([mail],[userPrincipalName])', { mail: 'a@b', userPrincipalName: 'x' }), 'a@b');
  assert.equal(value('Coalesce([a],[b])'), null, 'all NULL and no default → NULL');
  assert.equal(value('Coalesce([a],[b],"")'), '', 'all NULL → the default');
});

test('ConvertToBase64("Hello world!") is Unicode (UTF-16LE) base64', () => {
  assert.equal(text('ConvertToBase64("Hello world!")'), 'SABlAGwAbABvACAAdwBvAHIAbABkACEA');
});

test('ConvertToUTF8Hex("Hello world!")', () => {
  assert.equal(text('ConvertToUTF8Hex("Hello world!")'), '48656C6C6F20776F726C6421');
});

test('Count returns the number of elements of a multi-valued attribute', () => {
  assert.equal(value('Count([proxyAddresses])', { proxyAddresses: ['a', 'b', 'c'] }), 3);
});

test('CStr([dn])', () => {
  assert.equal(text('CStr([dn])', { dn: 'cn=Joe,dc=contoso,dc=com' }), 'cn=Joe,dc=contoso,dc=com');
  assert.equal(text('CStr(5)'), '5');
  assert.equal(text('CStr(CBool(1))'), 'True');
});

test('DateAdd: every row of the documented table (StatusHireDate 2012-03-16-07:00)', () => {
  const rows: Array<[string, number, string]> = [
    ['d', 7, '3/23/2012 7:00:00 AM'],
    ['d', -10, '3/6/2012 7:00:00 AM'],
    ['ww', 2, '3/30/2012 7:00:00 AM'],
    ['m', 10, '1/16/2013 7:00:00 AM'],
    ['yyyy', 2, '3/16/2014 7:00:00 AM'],
  ];
  for (const [interval, n, out] of rows) {
    assert.equal(text(`DateAdd("${interval}", ${n}, CDate([StatusHireDate]))`, { StatusHireDate: '2012-03-16-07:00' }), out, `${interval} ${n}`);
  }
  assert.equal(text('DateAdd("m", 1, CDate("2021-01-31"))'), '2/28/2021 12:00:00 AM', '.NET AddMonths clamps to the month end');
});

test('DateDiff: every row of the documented table', () => {
  const rows: Array<[string, string, string, number]> = [
    ['d', '2021-08-18+08:00', '2021-08-31+08:00', 13],
    ['d', '8/25/2021 5:41:18 PM', '2012-03-16-07:00', -3449],
    ['ww', '8/25/2021 5:41:18 PM', '2012-03-16-07:00', -493],
    ['m', '8/25/2021 5:41:18 PM', '2012-03-16-07:00', -113],
    ['yyyy', '8/25/2021 5:41:18 PM', '2012-03-16-07:00', -9],
    ['d', '2021-08-31+08:00', '2021-08-31+08:00', 0],
    ['h', '2021-08-24', '2021-08-25', 24],
    ['n', '2021-08-24', '2021-08-25', 1440],
    ['s', '2021-08-24', '2021-08-25', 86400],
  ];
  for (const [interval, d1, d2, out] of rows) {
    assert.equal(value(`DateDiff("${interval}", CDate("${d1}"), CDate("${d2}"))`), out, `${interval} ${d1} ${d2}`);
  }
  // The documented form with Now(): with a fixed clock it is computed; without one it is Entra's.
  const now = Date.UTC(2021, 7, 25, 17, 41, 18);
  assert.equal(text('DateDiff("d", Now(), CDate([StatusHireDate]))', { StatusHireDate: '2012-03-16-07:00' }, { now }), '-3449');
  assert.match(computedByEntra('DateDiff("d", Now(), CDate([StatusHireDate]))', { StatusHireDate: '2012-03-16-07:00' }), /Now/);
});

test('DateDiff example 2: Switch + IIF sets accountEnabled from the hire date', () => {
  const expr = `Switch([Active], , 
  "1", IIF(DateDiff("d", Now(), CDate([StatusHireDate])) > 5, "False", "True"), 
  "0", "False")`;
  const now = Date.UTC(2021, 7, 25, 12, 0, 0);
  assert.equal(text(expr, { Active: '1', StatusHireDate: '2021-08-28T00:00:00Z' }, { now }), 'True');
  assert.equal(text(expr, { Active: '1', StatusHireDate: '2021-09-28T00:00:00Z' }, { now }), 'False');
  assert.equal(text(expr, { Active: '0', StatusHireDate: '2021-09-28T00:00:00Z' }, { now }), 'False');
  assert.equal(value(expr.replace('"0", "False"', '"0", "False"'), { Active: '2' }), null, 'no key matches and the default is left empty');
});

test('DateFromNum(129699324000000000) is January 1, 2012 at 11:00 PM', () => {
  const v = value('DateFromNum(129699324000000000)');
  assert.ok(v instanceof EntraDate);
  assert.equal((v as EntraDate).ms, Date.UTC(2012, 0, 1, 23, 0, 0));
  assert.equal(text('DateFromNum([lastLogonTimestamp])', { lastLogonTimestamp: '129699324000000000' }), '1/1/2012 11:00:00 PM');
});

test('FormatDateTime: output a date in a certain format', () => {
  assert.equal(text('FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")', { extensionAttribute1: '20150123105347.1Z' }), '2015-01-23');
  assert.equal(text('FormatDateTime([d], , "M/d/yyyy hh:mm:ss tt", "yyyy-MM-ddTHH:mm:ss")', { d: '3/7/2024 09:05:01 PM' }), '2024-03-07T21:05:01');
  assert.match(computedByEntra('FormatDateTime([d], , "yyyy-MM-dd", "yyyy")', { d: '07/03/2024' }), /does not match/);
});

test('Guid() has the documented shape and is never guessed in a preview', () => {
  assert.match(text('Guid()', {}, { random: seeded(1) }), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(computedByEntra('Guid()'), /GUID/);
});

test('IgnoreFlowIfNullOrEmpty: both documented examples', () => {
  assert.equal(run('IgnoreFlowIfNullOrEmpty([department])').kind, 'ignored');
  assert.equal(run('IgnoreFlowIfNullOrEmpty([department])', { department: '' }).kind, 'ignored');
  assert.equal(text('IgnoreFlowIfNullOrEmpty([department])', { department: 'Sales' }), 'Sales');
  const expr = 'IgnoreFlowIfNullOrEmpty(Switch([prefix], "", "3443", "Dr.", "3444", "Prof.", "3445", "Prof. Dr."))';
  assert.equal(text(expr, { prefix: '3444' }), 'Prof.');
  assert.equal(run(expr, { prefix: '9999' }).kind, 'ignored');
});

test('IIF: the documented examples, the AND/OR nestings, and the empty-attribute limitation', () => {
  const e = 'IIF([country]="USA",[country],[department])';
  assert.equal(text(e, { country: 'USA', department: 'Sales' }), 'USA');
  assert.equal(text(e, { country: 'FR', department: 'Sales' }), 'Sales');
  const and = 'IIF([country]="USA",IIF([state]="CA","True","False"),"False")';
  assert.equal(text(and, { country: 'USA', state: 'CA' }), 'True');
  assert.equal(text(and, { country: 'USA', state: 'WA' }), 'False');
  assert.equal(text(and, { country: 'FR', state: 'CA' }), 'False');
  const or = 'IIF([country]="USA","True",IIF([state]="CA","True","False"))';
  assert.equal(text(or, { country: 'FR', state: 'CA' }), 'True');
  assert.equal(text(or, { country: 'FR', state: 'WA' }), 'False');
  // "If the source attribute used within the IIF function is empty or null, the condition check fails."
  for (const unsupported of ['IIF([country]="","Other",[country])', 'IIF(IsNullOrEmpty([country]),"Other",[country])', 'IIF(IsPresent([country]),[country],"Other")']) {
    assert.match(computedByEntra(unsupported, { country: '' }), /condition check then fails/);
  }
  // The recommended workaround.
  assert.equal(text('Switch([country],[country],"","Other")', {}), 'Other');
  assert.equal(text('Switch([country],[country],"","Other")', { country: 'FR' }), 'FR');
});

test('InStr: both documented examples', () => {
  assert.equal(value('InStr("The quick brown fox","quick")'), 5);
  assert.equal(value('InStr("repEated","e",3,vbBinaryCompare)'), 7);
  assert.equal(value('InStr("repEated","e",3,vbTextCompare)'), 4);
  assert.equal(value('InStr("abc","z")'), 0);
});

test('IsNull, IsNullOrEmpty, IsPresent, IsString', () => {
  assert.equal(value('IsNull([displayName])'), true);
  assert.equal(value('IsNull([displayName])', { displayName: '' }), false);
  assert.equal(value('IsNullOrEmpty([displayName])', { displayName: '' }), true);
  assert.equal(value('IsNullOrEmpty([displayName])'), true);
  assert.equal(value('IsNullOrEmpty([displayName])', { displayName: 'x' }), false);
  assert.equal(value('IsPresent([displayName])', { displayName: 'x' }), true);
  assert.equal(value('IsPresent([displayName])', { displayName: '' }), false);
  assert.equal(value('IsString([displayName])', { displayName: 'x' }), true);
  assert.equal(value('IsString([displayName])'), false);
  // The documented IsPresent example parses and evaluates (Switch over True/False strings).
  const e = 'Switch(IsPresent([directManager]),[directManager], IsPresent([skiplevelManager]),[skiplevelManager], IsPresent([director]),[director])';
  assert.equal(run(e, { directManager: 'm1', skiplevelManager: 's1', director: 'd1' }).kind, 'value');
});

test('Item([proxyAddresses], 1) returns the first item; index 0 must not be used', () => {
  assert.equal(text('Item([proxyAddresses], 1)', { proxyAddresses: ['SMTP:a@x', 'smtp:b@x'] }), 'SMTP:a@x');
  assert.equal(run('Item([proxyAddresses], 0)', { proxyAddresses: ['a'] }).kind, 'error');
});

test('Join: multi-valued sources are joined value by value; the reference examples', () => {
  assert.equal(text('Join(", ", "", [surname], [givenName])', { givenName: 'John', surname: 'Doe' }), 'Doe, John');
  assert.equal(text('Join(";", [proxyAddresses], "x")', { proxyAddresses: ['a', 'b'] }), 'a;b;x');
  assert.equal(text('Join(" ", [name.givenName], [name.familyName])', { 'name.givenName': 'Ada', 'name.familyName': 'Lovelace' }), 'Ada Lovelace');
});

test('Left: the documented example and every stated rule', () => {
  assert.equal(text('Left("John Doe", 3)'), 'Joh');
  assert.equal(text('Left("John Doe", 0)'), '');
  assert.equal(text('Left("John Doe", -1)'), 'John Doe');
  assert.equal(text('Left([missing], 3)'), '');
  assert.equal(text('Left("Jo", 5)'), 'Jo');
});

test('Mid is 1-based and stops at the end of the source', () => {
  assert.equal(text('Mid("John", 1, 3)'), 'Joh');
  assert.equal(text('Mid("John", 3, 10)'), 'hn');
});

test('NormalizeDiacritics: the documented example and the table', () => {
  assert.equal(text('NormalizeDiacritics([givenName])', { givenName: 'Zoë' }), 'Zoe');
  assert.equal(text('NormalizeDiacritics("Æsa Øster Straße Łódź İlkay")'), 'AEsa OEster Strasse Lodz Ilkay');
  assert.equal(text('NormalizeDiacritics("ā́")'), 'a', 'combining sequences of the table');
  assert.equal(text('NormalizeDiacritics("Иван")'), 'Иван', 'no diacritic, nothing to normalise');
  assert.match(computedByEntra('NormalizeDiacritics("Nguyễn")'), /not in Microsoft's table/);
});

test('Not flips True/False; anything not True gives True', () => {
  assert.equal(text('Not("True")'), 'False');
  assert.equal(text('Not("False")'), 'True');
  assert.equal(text('Not([active])', { active: true }), 'False');
});

test('Now returns the current UTC time as M/d/yyyy h:mm:ss tt (documented value 7/2/2021 3:33:38 PM)', () => {
  assert.equal(text('Now()', {}, { now: Date.UTC(2021, 6, 2, 15, 33, 38) }), '7/2/2021 3:33:38 PM');
  assert.match(computedByEntra('Now()'), /Entra processes/);
});

test('NumFromDate: the Workday and SuccessFactors examples; round trip with DateFromNum', () => {
  const workday = 'NumFromDate(Join("", FormatDateTime([ContractEndDate], ,"yyyy-MM-ddzzz", "yyyy-MM-dd"), " 23:59:59-08:00"))';
  // 2020-12-31 23:59:59 -08:00 = 2021-01-01T07:59:59Z
  const expected = String((BigInt(Date.UTC(2021, 0, 1, 7, 59, 59)) + 11_644_473_600_000n) * 10_000n);
  assert.equal(text(workday, { ContractEndDate: '2020-12-31-08:00' }), expected);
  const sf = 'NumFromDate(Join("",FormatDateTime([endDate], ,"M/d/yyyy hh:mm:ss tt","yyyy-MM-dd")," 23:59:59-08:00"))';
  assert.equal(text(sf, { endDate: '12/31/2020 10:00:00 AM' }), expected);
  assert.equal(text('NumFromDate("2012-01-01T23:00:00Z")'), '129699324000000000');
});

test('PCase: every row of the documented table', () => {
  assert.equal(text('PCase([firstName])', { firstName: 'PABLO GONSALVES (SECOND)' }), 'Pablo Gonsalves (Second)');
  assert.equal(text('PCase([lastName]," \'-")', { lastName: "PINTO-DE'SILVA" }), "Pinto-De'Silva");
  assert.equal(text('PCase(Join(" ",[firstName],[lastName]))', { firstName: 'GREGORY', lastName: 'JAMES' }), 'Gregory James');
});

test('RandomString: both documented examples meet their constraints; a preview never guesses', () => {
  for (let seed = 1; seed <= 50; seed++) {
    const a = text('RandomString(6,3,0,0,3)', {}, { random: seeded(seed) });
    assert.equal(a.length, 6);
    assert.ok((a.match(/\d/g) ?? []).length >= 3 && (a.match(/[a-z]/g) ?? []).length >= 3, a);
    const b = text('RandomString(10,2,2,2,1,"?,")', {}, { random: seeded(seed) });
    assert.equal(b.length, 10);
    assert.ok((b.match(/\d/g) ?? []).length >= 2, b);
    assert.ok((b.match(/[A-Z]/g) ?? []).length >= 2, b);
    assert.ok((b.match(/[a-z]/g) ?? []).length >= 1, b);
    assert.ok((b.match(/[^A-Za-z0-9]/g) ?? []).length >= 2, b);
    assert.ok(!b.includes('?') && !b.includes(','), b);
  }
  assert.match(computedByEntra('RandomString(6,3,0,0,3)'), /random/);
});

test('Redact: the value flows, the logs show [Redact]', () => {
  const r = run('Redact([userPrincipalName])', { userPrincipalName: 'a@b' });
  assert.deepEqual(r, { kind: 'value', value: 'a@b', redacted: true });
  assert.equal(run('Redact("StringToBeRedacted")').kind, 'value');
  assert.equal(run('Redact(RandomString(6,3,0,0,3))').kind, 'computedByEntra');
});

test('RemoveDuplicates([proxyAddresses])', () => {
  assert.deepEqual(value('RemoveDuplicates([proxyAddresses])', { proxyAddresses: ['a', 'b', 'a'] }), ['a', 'b']);
});

test('Replace: every documented example', () => {
  assert.equal(text('Replace([BusinessTitle],"Product Developer", , , "Software Engineer", , )', { BusinessTitle: 'Product Developer' }), 'Software Engineer');
  assert.equal(text('Replace([UserID],"<username>", , , , , "<username>@contoso.com")', { UserID: 'jsmith' }), 'jsmith@contoso.com');
  assert.equal(text('Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", , "${phoneNumber}", , )', { telephoneNumber: '+91 9998887777' }), '9998887777');
  // Microsoft documents the output 19998887777, but its class [()\s-] does not hold '+': .NET and JavaScript both keep
  // the plus sign. The documented output is the example's slip; the pattern's meaning is what Entra runs.
  assert.equal(text('Replace([mobile], , "[()\\\\s-]+", , "", , )', { mobile: '+1 (999) 888-7777' }), '+19998887777');
  assert.equal(text('Replace([mobile], , "[+()\\\\s-]+", , "", , )', { mobile: '+1 (999) 888-7777' }), '19998887777');
  assert.equal(text('Replace([AddressLineData], ,"(?<streetNumber>^\\\\d*)","streetNumber", "888", , )', { AddressLineData: '545 Tremont Street' }), '888 Tremont Street');
  assert.equal(text('Replace([userPrincipalName], , "(?<Suffix>@(.)*)", "Suffix", "", , )', { userPrincipalName: 'jsmith@contoso.com' }), 'jsmith');
  assert.equal(text('Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", "phoneNumber" , , [mobile], )', { telephoneNumber: '', mobile: '+91 8887779999' }), '8887779999');
  assert.equal(text('Replace([mailNickname], , "[a-zA-Z_]*", , "", , )', { mailNickname: 'john_doe72' }), '72');
  // Examples section: strip a known domain name.
  assert.equal(text('Replace([mail], "@contoso.com", , ,"", ,)', { mail: 'john.doe@contoso.com' }), 'john.doe');
});

test('Replace never runs a pattern that can backtrack without bound', () => {
  const reason = computedByEntra('Replace([x], , "(a+)+$", , "", , )', { x: 'a'.repeat(40) + '!' });
  assert.match(reason, /backtrack/);
  assert.match(computedByEntra('Replace([x], , "(a|aa)*b", , "", , )', { x: 'aaaa' }), /backtrack/);
  assert.match(computedByEntra('Replace([x], , "(\\\\w)\\\\1", , "", , )', { x: 'aa' }), /backreference/);
  assert.match(computedByEntra('Replace([x], , "(?i)abc", , "", , )', { x: 'ABC' }), /\.NET only/);
});

test('Examples section: alias from first and last name; ID from the object id', () => {
  assert.equal(text('Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))', { givenName: 'John', surname: 'Doe' }), 'JohDoe');
  // Microsoft's page shows the output for its real object id before anonymising the input to 00aa00aa-…; the
  // documented output is the one of an id beginning d05e47b1-, so it is checked on the hex of that prefix.
  const out = text('Join("", 1000, Replace(ConvertToUTF8Hex([objectId]), , "[a-zA-Z_]*", , "", , ))', { objectId: '00aa00aa-bb11-cc22-dd33-44ee44ee44ee' });
  assert.equal(out, '1000' + Buffer.from('00aa00aa-bb11-cc22-dd33-44ee44ee44ee').toString('hex').toUpperCase().replace(/[A-Z]/g, ''));
  assert.ok('100064303565343762312333930392343435612626135652636136306362633065346234'.startsWith(text('Join("", 1000, Replace(ConvertToUTF8Hex([objectId]), , "[a-zA-Z_]*", , "", , ))', { objectId: 'd05e47b1-' })));
});

test('SelectUniqueValue and app role functions are computed by Entra', () => {
  const e = `SelectUniqueValue( 
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"), 
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  Mid([PreferredFirstName], 1, 1), [PreferredLastName]))), "contoso.com"),
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  Mid([PreferredFirstName], 1, 2), [PreferredLastName]))), "contoso.com")
    )`;
  assert.match(computedByEntra(e, { PreferredFirstName: 'John', PreferredLastName: 'Smith' }), /uniqueness/);
  // Its first rule is the documented first candidate.
  assert.equal(text('Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com")', { PreferredFirstName: 'John', PreferredLastName: 'Smith' }), 'John.Smith@contoso.com');
  assert.equal(text('Join("@", NormalizeDiacritics(StripSpaces(Join(".",  Mid([PreferredFirstName], 1, 2), [PreferredLastName]))), "contoso.com")', { PreferredFirstName: 'John', PreferredLastName: 'Smith' }), 'Jo.Smith@contoso.com');
  computedByEntra('SingleAppRoleAssignment([appRoleAssignments])');
  computedByEntra('AppRoleAssignmentsComplex([appRoleAssignments])');
});

test('Split: a comma-delimited list into a multi-valued array', () => {
  assert.deepEqual(value('Split([extensionAttribute5], ",")', { extensionAttribute5: 'PermissionSetOne, PermissionSetTwo' }), ['PermissionSetOne', 'PermissionSetTwo']);
});

test('StripSpaces removes every space', () => {
  assert.equal(text('StripSpaces(" a b  c ")'), 'abc');
});

test('Switch: the documented examples (case-sensitive, empty key for empties)', () => {
  const tz = 'Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")';
  assert.equal(text(tz, { state: 'QLD' }), 'Australia/Brisbane');
  assert.equal(text(tz, { state: 'qld' }), 'Australia/Sydney', 'case-sensitive');
  assert.equal(text('Switch(ToLower([statusFlag]), "0", "true", "1", "false", "0")', { statusFlag: 'TRUE' }), '1');
  assert.equal(text('Switch([statusFlag], "Default Value", "true", "1", "", "0")', {}), '0');
  assert.equal(run('Switch([a], "d", "k")').kind, 'error', 'keys and values come in pairs');
});

test('ToLower: generated UPN in lower case; ToUpper', () => {
  assert.equal(text('ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"))', { PreferredFirstName: 'John', PreferredLastName: 'Smith' }), 'john.smith@contoso.com');
  assert.equal(text('ToUpper("istanbul", "tr-TR")'), 'İSTANBUL');
  assert.equal(text('ToUpper("abc")'), 'ABC');
});

test('Word: both documented examples and the rules', () => {
  assert.equal(text('Word("The quick brown fox",3," ")'), 'brown');
  assert.equal(text('Word("This,string!has&many separators",3,",!&#")'), 'has');
  assert.equal(text('Word("a b",0," ")'), '');
  assert.equal(text('Word([missing],1," ")'), '');
  assert.equal(text('Word("a b",5," ")'), '');
});

test('syntax: escapes, empty arguments, nested attribute names, errors with offsets', () => {
  assert.equal(text('Append("Company name: \\"Contoso\\"", "")'), 'Company name: "Contoso"');
  assert.equal(text('[emails[type eq "work"].value]', { 'emails[type eq "work"].value': 'a@x' }), 'a@x');
  const bad = run('Join(" ", [a]');
  assert.equal(bad.kind, 'error');
  assert.equal((bad as { offset: number }).offset, 13);
  const caseErr = run('join(" ", [a])');
  assert.match((caseErr as { message: string }).message, /case-sensitive, did you mean Join/);
  assert.throws(() => parseExpression('"unclosed'), /closing quote/);
  assert.throws(() => parseExpression('Append(' .repeat(200) + '"x"' + ')'.repeat(200)), /nested/);
});
