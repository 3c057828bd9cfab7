// The 25 mappings of the throughput figure written by hand in plain JavaScript: the physical limit.
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CON = 'urn:ietf:params:scim:schemas:extension:contoso:1.0:User';

/** What the 25 mappings mean, by hand. Omitted values stay out, as the CLI leaves them out. */
export function handWritten(w) {
  const p = w.Personal ?? {};
  const e = w.Employment ?? {};
  const pos = e.Position ?? {};
  const c = w.Contact ?? {};
  const first = p.Preferred_Name?.First_Name || p.Legal_Name?.First_Name;
  const last = p.Legal_Name?.Last_Name;
  const email = typeof c.Work_Email === 'string' ? c.Work_Email.toLowerCase() : undefined;
  const name = { givenName: first, familyName: last };
  if (p.Legal_Name?.Middle_Name) name.middleName = p.Legal_Name.Middle_Name;
  const phones = [{ type: 'work', value: c.Work_Phone }];
  if (c.Mobile) phones.push({ type: 'mobile', value: c.Mobile });
  const hire = e.Hire_Date;
  const manager = pos.Manager_ID ? { value: pos.Manager_ID } : undefined;
  const wt = w.Worker_Type;
  return {
    schemas: [CORE, ENT, CON],
    externalId: w.Worker_ID,
    userName: email,
    active: e.Status === 'Active',
    displayName: `${first} ${last}`,
    name,
    userType: wt === 'Contingent_Worker' ? 'Contractor' : 'Employee',
    title: pos.Business_Title?.trim(),
    emails: [{ type: 'work', value: email, primary: true }],
    phoneNumbers: phones,
    addresses: [{ type: 'work', locality: pos.Location?.City, country: pos.Location?.Country_ISO_Code?.toUpperCase() }],
    [ENT]: {
      employeeNumber: w.Worker_ID,
      organization: `${pos.Company} (contoso.com)`,
      division: pos.Division,
      department: pos.Department,
      costCenter: `${pos.Cost_Center?.ID} ${pos.Cost_Center?.Name}`,
      manager,
    },
    [CON]: {
      HireDate: hire ? `${hire.slice(0, 10)}T00:00:00${hire.slice(10)}` : undefined,
      JobProfile: pos.Job_Profile,
      PositionId: pos.Position_ID,
      WorkerType: wt.includes('_') ? wt.slice(0, wt.indexOf('_')) : wt,
    },
  };
}
