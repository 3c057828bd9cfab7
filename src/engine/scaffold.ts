/**
 * New Mapping from Sample: drafts a mapping file from a sample's fields, matching common HR field names
 * (WorkerID, FirstName, Surname, Email, Status, Manager …) to the SCIM attributes Entra expects. The draft is a
 * starting point that validates; the user reviews each line. Pure except for `scaffoldFromFile`, which reads the sample.
 */
import { basename } from 'node:path';
import { fieldPath, inferFields, readSample, type FieldInfo } from './readers';

export interface ScaffoldField {
  /** JSONata path as completion writes it (`Personal.First_Name`, `` `Cost Center` ``). */
  path: string;
  /** Raw keys from the record root; '[]' marks array elements. */
  segments: string[];
  /** Up to a few distinct example values. */
  examples: Array<string | number | boolean>;
  types: string[];
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
  const candidates = fields.filter(isScalar);
  const used = new Set<ScaffoldField>();
  const out = new Map<Role, ScaffoldField>();
  // Manager before id: "ManagerID" must not be taken as anyone's id; ids before names so "Name" is not the id.
  const order: Role[] = ['manager', 'id', 'email', 'given', 'family', 'middle', 'preferred', 'display', 'status', 'title', 'department',
    'costCenter', 'division', 'organization', 'userType', 'phone', 'mobile', 'city'];
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

/** A YAML scalar for an expression: plain when that is unambiguous, otherwise single-quoted. */
export function yamlScalar(expr: string): string {
  const plain = /^[A-Za-z_$(][^#]*$/.test(expr) && !/: |:$|\s$|^(true|false|null|yes|no|on|off|~)$/i.test(expr);
  return plain ? expr : `'${expr.replace(/'/g, "''")}'`;
}

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
  const email = f('email');
  if (email) add('userName', email, 'userName is the UPN: its domain must be verified in the tenant');
  else if (f('given') && f('family')) {
    add('userName', `$lowercase(${f('given')} & "." & ${f('family')}) & "@" & $domain`, 'userName is the UPN: set your domain under let:');
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
  add('addresses[type eq "work"].locality', f('city'));
  add(`${ENTERPRISE}:employeeNumber`, f('id'));
  add(`${ENTERPRISE}:department`, f('department'));
  add(`${ENTERPRISE}:costCenter`, f('costCenter'));
  add(`${ENTERPRISE}:division`, f('division'));
  add(`${ENTERPRISE}:organization`, f('organization'));
  add(`${ENTERPRISE}:manager.value`, f('manager'), "manager.value is the manager's externalId");

  const usedPaths = new Set([...roles.values()].map((x) => x.path));
  const unmapped = input.fields.filter((x) => isScalar(x) && !usedPaths.has(x.path)).map((x) => x.path);
  const needsDomain = lines.some(([, e]) => e.includes('$domain'));
  const idField = roles.get('id');
  const stem = input.sampleFile.replace(/\.(csv|tsv|txt|json|jsonl|ndjson)$/i, '');

  const out: string[] = [
    `# Drafted by SCIM Mapper from ${input.sampleFile}: check each line against your HR data and Entra's`,
    '# attribute mappings, then map the remaining fields. Reference: docs/mapping-format.md',
    'scimmap: 1',
    `name: ${yamlScalar(`${stem} to Entra ID`)}`,
    'source:',
    `  sample: ${yamlScalar(input.sampleFile)}`,
  ];
  // source.key names a plain field (a dotted name reads nested ones), not a JSONata path with backticks.
  if (idField && !idField.segments.includes('[]')) out.push(`  key: ${yamlScalar(idField.segments.join('.'))}`);
  out.push('target: entra');
  if (needsDomain) out.push('let:', `  domain: '"contoso.com"'`);
  out.push('mappings:');
  if (!roles.has('id')) out.push('  # externalId is required: map the field that identifies a worker, e.g. externalId: EmployeeID');
  for (const [target, expr, comment] of lines) {
    if (comment) out.push(`  # ${comment}`);
    out.push(`  ${target}: ${yamlScalar(expr)}`);
  }
  if (!roles.has('status')) out.push('  # active: map it, or Entra disables accounts whose record leaves it out');
  if (unmapped.length) out.push(`# Not mapped yet: ${unmapped.join(', ')}`);
  return {
    text: `${out.join('\n')}\n`,
    mapped: lines.map(([target, source]) => ({ target, source })),
    unmapped,
  };
}

/** Reads the first records of a sample (CSV header names count even without rows) and drafts a mapping for it. */
export async function scaffoldFromFile(path: string): Promise<ScaffoldOutput> {
  const sample = await readSample(path, { limit: 200, onError: 'partial' });
  if (sample.error && sample.records.length === 0 && !sample.header) throw new Error(sample.error.message);
  const fields: FieldInfo[] = inferFields(sample.records);
  const known = new Set(fields.map((x) => x.path));
  const all: ScaffoldField[] = fields.map((x) => ({ path: x.path, segments: x.segments, examples: x.examples, types: x.types }));
  for (const h of sample.header ?? []) {
    if (!known.has(h) && h !== '') all.push({ path: fieldPath([h]), segments: [h], examples: [], types: ['string'] });
  }
  return scaffoldMapping({ sampleFile: basename(path), fields: all });
}
