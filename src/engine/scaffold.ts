/**
 * New Mapping from Sample: drafts a mapping file from a sample's fields, matching common HR field names
 * (WorkerID, FirstName, Surname, Email, Status, Manager …) to the SCIM attributes Entra expects. The draft is a
 * starting point that validates; the user reviews each line. Pure except for `scaffoldFromFile`, which reads the sample.
 */
import { basename } from 'node:path';
import { Document, Pair, Scalar, YAMLMap } from 'yaml';
import { fieldPath, inferFields, readSample, type FieldInfo } from './readers';
import { XSD_DATETIME } from './transform/values';

export interface ScaffoldField {
  /** JSONata path as completion writes it (`Personal.First_Name`, `` `Cost Center` ``). */
  path: string;
  /** Raw keys from the record root; '[]' marks array elements. */
  segments: string[];
  /** Up to a few distinct example values. */
  examples: Array<string | number | boolean>;
  types: string[];
  /** Records where the field is empty, when known: an e-mail column with gaps makes a poor userName. */
  empty?: number;
}

export interface ScaffoldInput {
  /** File name of the sample, written as `source.sample` (the mapping goes next to it). */
  sampleFile: string;
  fields: ScaffoldField[];
}

export interface ScaffoldOutput {
  text: string;
  mapped: { target: string; source: string }[];
  unmapped: string[];
}

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** The custom extension Microsoft's CSV2SCIM examples use for HR attributes SCIM has no place for. */
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:csv:1.0:User';
/** An extension attribute name for a field (letters, digits, `-` and `_`, starting with a letter). */
const leafNameKey = (f: ScaffoldField): string => {
  const n = leafName(f).replace(/[^A-Za-z0-9_-]/g, '');
  return /^[A-Za-z]/.test(n) ? n : `HireDate`;
};

/** Normalised field names (lower case, letters and digits only) per role, best first. */
const NAMES = {
  id: ['employeeid', 'workerid', 'empno', 'employeeno', 'empid', 'employeenumber', 'workerno', 'personid', 'personnumber', 'staffid', 'staffno', 'personnelnumber', 'userid', 'id'],
  email: ['workemail', 'businessemail', 'email', 'emailaddress', 'mail', 'workemailaddress', 'primaryemail', 'emailwork', 'companyemail'],
  given: ['firstname', 'givenname', 'legalfirstname', 'first', 'given', 'forename', 'fname'],
  family: ['lastname', 'familyname', 'surname', 'legallastname', 'last', 'family', 'lname'],
  middle: ['middlename', 'middle'],
  preferred: ['preferredname', 'preferredfirstname', 'nickname', 'knownas'],
  display: ['displayname', 'fullname', 'name'],
  status: ['status', 'employmentstatus', 'employeestatus', 'workerstatus', 'active', 'isactive', 'enabled'],
  title: ['jobtitle', 'title', 'businesstitle', 'positiontitle', 'position', 'jobname'],
  department: ['department', 'dept', 'departmentname', 'orgunit', 'organizationalunit'],
  manager: ['managerid', 'manageremployeeid', 'managerworkerid', 'managerempno', 'manager', 'supervisorid', 'supervisor', 'reportsto', 'linemanager'],
  costCenter: ['costcenter', 'costcentre', 'costcode', 'costcenterid'],
  division: ['division', 'businessunit'],
  organization: ['company', 'companyname', 'organization', 'organisation', 'legalentity'],
  userType: ['employeetype', 'workertype', 'usertype', 'employmenttype'],
  phone: ['workphone', 'phone', 'phonenumber', 'businessphone', 'telephone', 'officephone'],
  mobile: ['mobile', 'mobilephone', 'cellphone', 'cell', 'mobilenumber'],
  city: ['city', 'town', 'locality', 'worklocationcity'],
  upn: ['userprincipalname', 'upn', 'userid', 'username', 'loginname', 'login'],
  street: ['streetaddress', 'street', 'addressline1', 'address1', 'address', 'workaddress'],
  postalCode: ['zipcode', 'postalcode', 'zip', 'postcode', 'postal'],
  region: ['state', 'region', 'province', 'stateprovince'],
  country: ['countrycode', 'country', 'countryname'],
  hireDate: ['hiredate', 'startdate', 'originalhiredate', 'dateofhire', 'joiningdate'],
} as const;
type Role = keyof typeof NAMES;

const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The name that identifies a field: its last key (nested JSON `Personal.Legal_Name.First_Name` → First_Name). */
const leafName = (f: ScaffoldField): string => f.segments[f.segments.length - 1] ?? f.path;

/** Names too generic to trust below the top level (`Cost_Center.Name` is not the person's name). */
const TOP_LEVEL_ONLY = new Set(['name', 'id', 'first', 'last', 'given', 'family', 'middle', 'cell', 'mail']);

const isScalar = (f: ScaffoldField): boolean =>
  !f.segments.includes('[]') && f.types.some((t) => t === 'string' || t === 'number' || t === 'boolean');

/** Picks a field for each role: exact names first (in the role's order), each field used once (ids may repeat). */
function assignRoles(fields: ScaffoldField[]): Map<Role, ScaffoldField> {
  const candidates = fields.filter((f) => isScalar(f) && referenceable(f));
  const used = new Set<ScaffoldField>();
  const out = new Map<Role, ScaffoldField>();
  // Manager before id: "ManagerID" must not be taken as anyone's id; ids before names so "Name" is not the id.
  // UserID after the ids: Microsoft's CSV2SCIM sample has WorkerID (the externalId) and UserID (the userName).
  const order: Role[] = ['manager', 'id', 'upn', 'email', 'given', 'family', 'middle', 'preferred', 'display', 'status', 'title', 'department',
    'costCenter', 'division', 'organization', 'userType', 'phone', 'mobile', 'street', 'city', 'region', 'postalCode', 'country', 'hireDate'];
  for (const role of order) {
    for (const name of NAMES[role]) {
      // Prefer a top-level field, then the shallowest nested one.
      const hit = candidates
        .filter((f) => !used.has(f) && norm(leafName(f)) === name && (f.segments.length === 1 || !TOP_LEVEL_ONLY.has(name)))
        .sort((a, b) => a.segments.length - b.segments.length)[0];
      if (hit) {
        out.set(role, hit);
        used.add(hit);
        break;
      }
    }
  }
  return out;
}

/** Serialisation of every draft: no folding of long lines, single quotes when a string must be quoted. */
const TO_STRING = { lineWidth: 0, minContentWidth: 0, singleQuote: true } as const;

/** A YAML scalar for an expression, as the yaml library writes it (plain when that is unambiguous, else quoted). */
export function yamlScalar(expr: string): string {
  return new Document(expr).toString(TO_STRING).replace(/\n$/, '');
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text for a comment: control and format characters (line breaks, bidi overrides, zero-width) as escapes, so a
 * name from a sample can neither end the comment line nor disguise what the draft says.
 */
export function commentText(s: string): string {
  return s.replace(/[\p{C}\u2028\u2029]/gu, (c) => ESCAPES[c] ?? `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/** A field JSONata can name: a backtick ends a quoted name (there is no escape), control characters are not HR data. */
const referenceable = (f: ScaffoldField): boolean => f.segments.every((x) => !x.includes('`') && !/\p{Cc}/u.test(x));

const jsonString = (s: string): string => JSON.stringify(s);

/** `active` from a status field: a boolean field as is; "Active"/"A"/"Yes" as seen in the data; else a common guess. */
function activeExpression(f: ScaffoldField): string {
  if (f.types.length === 1 && f.types[0] === 'boolean') return f.path;
  const strings = f.examples.filter((x): x is string => typeof x === 'string');
  const seen = strings.find((x) => /^(active|a|yes|y|true|employed|current)$/i.test(x.trim()));
  if (seen) return `${f.path} = ${jsonString(seen)}`;
  if (strings.some((x) => /^(true|false)$/i.test(x))) return `$lowercase(${f.path}) = "true"`;
  return `$lowercase(${f.path}) in ["active", "a", "yes", "true"]`;
}

export function scaffoldMapping(input: ScaffoldInput): ScaffoldOutput {
  const roles = assignRoles(input.fields);
  const f = (r: Role): string | undefined => roles.get(r)?.path;
  const lines: [string, string, string?][] = []; // target, expression, comment
  const add = (target: string, expr: string | undefined, comment?: string): void => {
    if (expr) lines.push([target, expr, comment]);
  };

  add('externalId', f('id'));
  const upn = roles.get('upn');
  // An e-mail column with gaps would leave some records without a sign-in name (a record error): build the
  // name from the person's names then.
  const email = f('email');
  const emailField = roles.get('email');
  const emailUpn = emailField && !(emailField.empty && f('given') && f('family')) ? emailField.path : undefined;
  if (upn) {
    const withDomain = upn.examples.length > 0 && upn.examples.every((x) => typeof x === 'string' && x.includes('@'));
    add('userName', withDomain ? upn.path : `${upn.path} & "@" & $domain`, withDomain
      ? 'userName is the UPN: its domain must be verified in the tenant'
      : 'userName is the UPN: the values have no @domain, so one is appended (set your domain under let:)');
  } else if (emailUpn) add('userName', emailUpn, 'userName is the UPN: its domain must be verified in the tenant');
  else if (f('given') && f('family')) {
    // Entra allows only A–Z, 0–9 and ' . - _ ! # ^ ~ before the "@": drop the rest (fold accents first if you can, see samples/).
    add('userName', `$replace($lowercase(${f('given')} & "." & ${f('family')}), /[^a-z0-9._-]/, "") & "@" & $domain`, 'userName is the UPN (set your domain under let:); letters outside a–z are dropped');
  }
  if (roles.has('status')) add('active', activeExpression(roles.get('status')!));
  add('displayName', f('display') ?? (f('given') && f('family') ? `$join([${f('given')}, ${f('family')}], " ")` : undefined));
  add('name.givenName', f('given'));
  add('name.familyName', f('family'));
  add('name.middleName', f('middle'));
  add('nickName', f('preferred'));
  add('title', f('title'));
  add('userType', f('userType'));
  if (email) {
    add('emails[type eq "work"].value', email);
    // Omitted with the address when a record has none: an e-mail element without a value is refused.
    add('emails[type eq "work"].primary', `${email} ? true`);
  }
  add('phoneNumbers[type eq "work"].value', f('phone'));
  add('phoneNumbers[type eq "mobile"].value', f('mobile'));
  add('addresses[type eq "work"].streetAddress', f('street'));
  add('addresses[type eq "work"].locality', f('city'));
  add('addresses[type eq "work"].region', f('region'));
  add('addresses[type eq "work"].postalCode', f('postalCode'));
  add('addresses[type eq "work"].country', f('country'));
  add(`${ENTERPRISE}:employeeNumber`, f('id'));
  add(`${ENTERPRISE}:department`, f('department'));
  add(`${ENTERPRISE}:costCenter`, f('costCenter'));
  add(`${ENTERPRISE}:division`, f('division'));
  add(`${ENTERPRISE}:organization`, f('organization'));
  add(`${ENTERPRISE}:manager.value`, f('manager'), "manager.value is the manager's externalId");
  // No SCIM attribute holds a hire date: a custom extension attribute, mapped to employeeHireDate in the app.
  const extensions = new Map<string, [string, string][]>();
  const hire = roles.get('hireDate');
  const strings = hire?.examples.filter((x): x is string => typeof x === 'string') ?? [];
  const dateOnly = strings.length > 0 && strings.length === hire!.examples.length && strings.every((x) => /^\d{4}-\d{2}-\d{2}$/.test(x));
  const dateTimes = strings.length > 0 && strings.length === hire!.examples.length && strings.every((x) => XSD_DATETIME.test(x));
  // Other formats (19.01.2017, dates with offsets) need a conversion the user writes: leave the field unmapped.
  if (hire && !dateOnly && !dateTimes) roles.delete('hireDate');
  else if (hire) {
    extensions.set(CUSTOM, [[leafNameKey(hire), 'dateTime']]);
    add(`${CUSTOM}:${leafNameKey(hire)}`, dateOnly ? `${hire.path} ? ${hire.path} & "T00:00:00Z"` : hire.path,
      `add ${CUSTOM}:${leafNameKey(hire)} to the provisioning app's attributes and map it to employeeHireDate` +
        (dateOnly ? ' (the sample has dates only: midnight UTC is appended)' : ''));
  }

  const usedPaths = new Set([...roles.values()].map((x) => x.path));
  const unmapped = input.fields.filter((x) => isScalar(x) && !usedPaths.has(x.path)).map((x) => x.path);
  const needsDomain = lines.some(([, e]) => e.includes('$domain'));
  const idField = roles.get('id');
  const stem = basename(input.sampleFile).replace(/\.(csv|tsv|txt|json|jsonl|ndjson)$/i, '');

  // Every key, value and comment goes through the yaml library: a sample's names and file name are data, and
  // string concatenation would let a header with a line break write its own mappings (e.g. active: "false").
  const doc = new Document();
  doc.commentBefore =
    ` Drafted by SCIM Mapper from ${commentText(input.sampleFile)}: check each line against your HR data and Entra's\n` +
    ' attribute mappings, then map the remaining fields. Reference: docs/mapping-format.md';
  const root = new YAMLMap();
  const pair = (key: string, value: unknown, comment?: string): Pair => {
    const k = new Scalar(key);
    if (comment) k.commentBefore = ` ${commentText(comment)}`;
    return new Pair(k, value instanceof YAMLMap ? value : new Scalar(value));
  };
  root.add(pair('scimmap', 1));
  root.add(pair('name', `${stem} to Entra ID`));
  const source = new YAMLMap();
  source.add(pair('sample', input.sampleFile));
  // source.key names a plain field (a dotted name reads nested ones), not a JSONata path with backticks.
  if (idField && !idField.segments.some((x) => x === '[]' || x.includes('.'))) source.add(pair('key', idField.segments.join('.')));
  root.add(pair('source', source));
  root.add(pair('target', 'entra'));
  if (extensions.size) {
    const ext = new YAMLMap();
    for (const [urn, attrs] of extensions) {
      const a = new YAMLMap();
      for (const [name, type] of attrs) a.add(pair(name, type));
      ext.add(pair(urn, a));
    }
    root.add(pair('extensions', ext));
  }
  if (needsDomain) {
    const lets = new YAMLMap();
    lets.add(pair('domain', '"contoso.com"'));
    root.add(pair('let', lets));
  }
  const mappings = new YAMLMap();
  for (const [target, expr, comment] of lines) mappings.add(pair(target, expr, comment));
  if (!roles.has('status')) mappings.comment = ' active: map it, or Entra disables accounts whose record leaves it out';
  root.add(pair('mappings', mappings, roles.has('id') ? undefined : 'externalId is required: map the field that identifies a worker, e.g. externalId: EmployeeID'));
  doc.contents = root;
  if (unmapped.length) doc.comment = ` Not mapped yet: ${commentText(unmapped.join(', '))}`;
  return {
    text: doc.toString(TO_STRING),
    mapped: lines.map(([target, source]) => ({ target, source })),
    unmapped,
  };
}

/**
 * Reads the first records of a sample (CSV header names count even without rows) and drafts a mapping for it.
 * `sampleRef` is what the draft writes as source.sample (default: the file name, for a mapping next to it).
 */
export async function scaffoldFromFile(path: string, sampleRef = basename(path)): Promise<ScaffoldOutput> {
  const sample = await readSample(path, { limit: 200, onError: 'partial' });
  if (sample.error && sample.records.length === 0 && !sample.header) throw new Error(sample.error.message);
  const fields: FieldInfo[] = inferFields(sample.records);
  // Header names count even without data rows; compared as paths (`Cost Center` is the path of "Cost Center"),
  // so a field with values is listed once.
  const known = new Set(fields.map((x) => x.path));
  const all: ScaffoldField[] = fields.map((x) => ({ path: x.path, segments: x.segments, examples: x.examples, types: x.types, empty: x.empty }));
  for (const h of sample.header ?? []) {
    const p = fieldPath([h]);
    if (h !== '' && !known.has(p)) {
      known.add(p);
      all.push({ path: p, segments: [h], examples: [], types: ['string'] });
    }
  }
  return scaffoldMapping({ sampleFile: sampleRef, fields: all });
}
