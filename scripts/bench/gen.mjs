// Deterministic benchmark inputs (seeded PRNG, no clock): Workday-style workers as JSONL, flat CSV exports, and
// the mappings that read them. All people are invented.
import { createWriteStream, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { prng } from '../prng.mjs';

const FIRST = ['José', 'Zoë', 'Seán', 'Minh', 'Ingrid', 'Søren', 'Åsa', 'Łukasz', 'Lucía', 'Thảo', 'Grace', 'Olivia', 'Liam', 'Noah', 'Emma', 'Kwame', 'Aisha', 'Priya', 'Mei', 'Hiroshi', 'Ömer', 'João', 'Hélène', 'Jürgen', 'Daniel', 'Sarah', 'David', 'Elena'];
const LAST = ['Álvarez', 'Ørsted', "O'Brien", 'Nguyễn', 'Müller', 'Kowalczyk', 'García-Márquez', 'Núñez', 'Trần', 'van der Berg', 'da Silva', 'Lindqvist', 'Öztürk', 'Smith', 'Johnson', 'Okafor', 'Patel', 'Tanaka', 'Chen', 'Kim', 'Brown', 'Dubois', 'Rossi', 'Hoffmann', 'Novák'];
const TITLES = ['Identity Engineer', 'Payroll Specialist', 'Account Executive', 'Warehouse Lead', 'Data Analyst', 'HR Business Partner', ' Site Manager ', 'Software Engineer'];
const DEPTS = [['IT Operations', 'Product & Technology', 'CC2200', 'IT'], ['Payroll', 'Finance', 'CC1100', 'Finance'], ['Sales EMEA', 'Commercial', 'CC3300', 'Sales'], ['Logistics', 'Operations', 'CC4400', 'Ops']];
const CITIES = [['Seattle', 'us', '-07:00'], ['Dublin', 'IE', '+00:00'], ['München', 'de', '+01:00'], ['Thành phố Hồ Chí Minh', 'VN', '+07:00'], ['São Paulo', 'br', '-03:00'], ['Kraków', 'PL', '+01:00']];

const ascii = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');

/** The i-th Workday-style worker (nested like a RaaS report; optional parts really are absent). */
export function worker(r, i) {
  const first = r.pick(FIRST);
  const last = r.pick(LAST);
  const [dept, div, cc, ccName] = r.pick(DEPTS);
  const [city, country, offset] = r.pick(CITIES);
  const id = String(100000 + i);
  const hire = `${r.int(2000, 2024)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}${offset}`;
  const legal = { First_Name: first, Last_Name: last };
  if (r.chance(0.2)) legal.Middle_Name = r.pick(['Marie', 'James', 'Anne', 'Thị']);
  const personal = { Legal_Name: legal };
  if (r.chance(0.15)) personal.Preferred_Name = { First_Name: first.slice(0, 3) };
  const position = {
    Position_ID: `P-${String(i % 99991).padStart(5, '0')}`, Business_Title: r.pick(TITLES), Job_Profile: r.pick(TITLES).trim(),
    Department: dept, Division: div, Company: 'Contoso Ltd', Cost_Center: { ID: cc, Name: ccName },
    Location: { Name: city, City: city, Country_ISO_Code: country },
  };
  if (i > 0) position.Manager_ID = String(100000 + r.int(0, i - 1));
  const contact = { Work_Email: `${ascii(first)}.${ascii(last)}${i}@Contoso.com`, Work_Phone: `+1 425 555 ${String(i % 10000).padStart(4, '0')}` };
  if (r.chance(0.4)) contact.Mobile = `+1 206 555 ${String((i * 7) % 10000).padStart(4, '0')}`;
  return {
    Worker_ID: id,
    Worker_Type: r.chance(0.1) ? 'Contingent_Worker' : 'Employee',
    Personal: personal,
    Employment: { Status: r.chance(0.92) ? 'Active' : 'Terminated', Hire_Date: hire, Position: position },
    Contact: contact,
  };
}

async function writeLines(file, n, line) {
  const out = createWriteStream(file);
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += line(i);
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

export async function writeWorkersJsonl(file, n, seed = 7) {
  const r = prng(seed);
  await writeLines(file, n, (i) => `${JSON.stringify(worker(r, i))}\n`);
}

/** The same 25 expressions the throughput figure runs everywhere: CLI mapping, bare jsonata, and hand-written JS. */
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CON = 'urn:ietf:params:scim:schemas:extension:contoso:1.0:User';
export const WORKDAY_MAPPINGS = [
  ['externalId', 'Worker_ID'],
  ['userName', '$lowercase(Contact.Work_Email)'],
  ['active', 'Employment.Status = "Active"'],
  ['displayName', '(Personal.Preferred_Name.First_Name ? Personal.Preferred_Name.First_Name : Personal.Legal_Name.First_Name) & " " & Personal.Legal_Name.Last_Name'],
  ['name.givenName', 'Personal.Preferred_Name.First_Name ? Personal.Preferred_Name.First_Name : Personal.Legal_Name.First_Name'],
  ['name.familyName', 'Personal.Legal_Name.Last_Name'],
  ['name.middleName', 'Personal.Legal_Name.Middle_Name'],
  ['userType', 'Worker_Type = "Contingent_Worker" ? "Contractor" : "Employee"'],
  ['title', '$trim(Employment.Position.Business_Title)'],
  ['emails[type eq "work"].value', '$lowercase(Contact.Work_Email)'],
  ['emails[type eq "work"].primary', 'true'],
  ['phoneNumbers[type eq "work"].value', 'Contact.Work_Phone'],
  ['phoneNumbers[type eq "mobile"].value', 'Contact.Mobile'],
  ['addresses[type eq "work"].locality', 'Employment.Position.Location.City'],
  ['addresses[type eq "work"].country', '$uppercase(Employment.Position.Location.Country_ISO_Code)'],
  [`${ENT}:employeeNumber`, 'Worker_ID'],
  [`${ENT}:organization`, 'Employment.Position.Company & " (" & $domain & ")"'],
  [`${ENT}:division`, 'Employment.Position.Division'],
  [`${ENT}:department`, 'Employment.Position.Department'],
  [`${ENT}:costCenter`, 'Employment.Position.Cost_Center.ID & " " & Employment.Position.Cost_Center.Name'],
  [`${ENT}:manager.value`, 'Employment.Position.Manager_ID'],
  [`${CON}:HireDate`, 'Employment.Hire_Date ? $substring(Employment.Hire_Date, 0, 10) & "T00:00:00" & $substring(Employment.Hire_Date, 10)'],
  [`${CON}:JobProfile`, 'Employment.Position.Job_Profile'],
  [`${CON}:PositionId`, 'Employment.Position.Position_ID'],
  [`${CON}:WorkerType`, '$contains(Worker_Type, "_") ? $substringBefore(Worker_Type, "_") : Worker_Type'],
];
export const WORKDAY_LETS = [['domain', '"contoso.com"']];

const q = (s) => `'${s.replace(/'/g, "''")}'`;

export function workdayMappingText(sample) {
  return [
    'scimmap: 1',
    'name: Benchmark (Workday-style workers)',
    'source:',
    `  sample: ${sample}`,
    '  key: Worker_ID',
    'target: entra',
    'extensions:',
    `  ${CON}:`,
    '    HireDate: dateTime',
    '    JobProfile: string',
    '    PositionId: string',
    '    WorkerType: string',
    'let:',
    ...WORKDAY_LETS.map(([k, v]) => `  ${k}: ${q(v)}`),
    'mappings:',
    ...WORKDAY_MAPPINGS.map(([k, v]) => `  ${k}: ${q(v)}`),
    '',
  ].join('\n');
}

// ---- flat CSV export (streaming memory figure) ----
const CSV_HEADER = ['EmpNo', 'GivenName', 'Surname', 'PreferredName', 'Email', 'Phone', 'JobTitle', 'Dept', 'Company', 'Country', 'HireDate', 'Status', 'ManagerEmpNo'];
const csvCell = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export async function writeCsv(file, n, seed = 11) {
  const r = prng(seed);
  await writeLines(file, n + 1, (k) => {
    if (k === 0) return `${CSV_HEADER.join(',')}\n`;
    const w = worker(r, k - 1);
    const p = w.Employment.Position;
    return `${[
      `E${String(k).padStart(7, '0')}`, w.Personal.Legal_Name.First_Name, w.Personal.Legal_Name.Last_Name, w.Personal.Preferred_Name?.First_Name ?? '',
      w.Contact.Work_Email, w.Contact.Work_Phone, p.Business_Title, p.Department, p.Company, p.Location.Country_ISO_Code,
      w.Employment.Hire_Date.slice(0, 10), w.Employment.Status, k > 1 ? `E${String(r.int(1, k - 1)).padStart(7, '0')}` : '',
    ].map(csvCell).join(',')}\n`;
  });
}

export function csvMappingText(sample) {
  const m = [
    ['externalId', 'EmpNo'],
    ['userName', '$lowercase(Email)'],
    ['active', 'Status = "Active"'],
    ['displayName', '(PreferredName ? PreferredName : GivenName) & " " & Surname'],
    ['name.givenName', 'PreferredName ? PreferredName : GivenName'],
    ['name.familyName', 'Surname'],
    ['title', '$trim(JobTitle)'],
    ['emails[type eq "work"].value', 'Email'],
    ['phoneNumbers[type eq "work"].value', 'Phone'],
    ['addresses[type eq "work"].country', '$uppercase(Country)'],
    [`${ENT}:employeeNumber`, 'EmpNo'],
    [`${ENT}:organization`, 'Company'],
    [`${ENT}:department`, 'Dept'],
    [`${ENT}:manager.value`, 'ManagerEmpNo'],
    [`${CON}:HireDate`, 'HireDate ? HireDate & "T00:00:00Z"'],
  ];
  return ['scimmap: 1', 'name: Benchmark (flat CSV export)', 'source:', `  sample: ${sample}`, '  key: EmpNo', 'target: entra', 'extensions:', `  ${CON}:`, '    HireDate: dateTime', 'mappings:', ...m.map(([k, v]) => `  ${k}: ${q(v)}`), ''].join('\n');
}

// ---- language server figure: 150 mappings over a 10,000-record JSON sample ----
const CUSTOM_FIELDS = 25;
export const LSP_CUSTOM_ATTRS = 125;

export function writeLspSample(file, n, seed = 13) {
  const r = prng(seed);
  const out = [];
  for (let i = 0; i < n; i++) {
    const w = worker(r, i);
    const custom = {};
    for (let f = 0; f < CUSTOM_FIELDS; f++) custom[`F${String(f).padStart(2, '0')}`] = `v${f}-${r.int(0, 999)}`;
    w.Custom = custom;
    out.push(w);
  }
  writeFileSync(file, JSON.stringify(out, null, 1));
}

const TEMPLATES = [(f) => `Custom.${f}`, (f) => `$uppercase(Custom.${f})`, (f) => `Custom.${f} & "-" & Worker_ID`, (f) => `$substringAfter(Custom.${f}, "-")`, (f) => `Custom.${f} ? Custom.${f} : "none"`];

/** 25 core/enterprise mappings + 125 custom extension attributes = 150. Returns the text and the line to edit. */
export function lspMappingText(sample) {
  const lines = ['scimmap: 1', 'name: Benchmark (150 mappings)', 'source:', `  sample: ${sample}`, '  key: Worker_ID', 'target: entra', 'extensions:', `  ${CON}:`, '    HireDate: dateTime', '    JobProfile: string', '    PositionId: string', '    WorkerType: string'];
  for (let a = 0; a < LSP_CUSTOM_ATTRS; a++) lines.push(`    Attr${String(a).padStart(3, '0')}: string`);
  lines.push('let:', ...WORKDAY_LETS.map(([k, v]) => `  ${k}: ${q(v)}`), 'mappings:', ...WORKDAY_MAPPINGS.map(([k, v]) => `  ${k}: ${q(v)}`));
  for (let a = 0; a < LSP_CUSTOM_ATTRS; a++) {
    const f = `F${String(a % CUSTOM_FIELDS).padStart(2, '0')}`;
    lines.push(`  ${CON}:Attr${String(a).padStart(3, '0')}: ${q(TEMPLATES[a % TEMPLATES.length](f))}`);
  }
  lines.push('');
  return lines.join('\n');
}
