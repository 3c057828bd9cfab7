/**
 * RFC 7643 §8.7.1 core schemas as data: User, Group and the enterprise User extension, plus the common
 * attributes of §3.1. Attribute facts follow the RFC with errata 6004, 8462, 8471 and 8475 applied (the
 * conformance test compares them with the reference JSON); descriptions and Entra notes are our own words.
 */
import { CORE_GROUP_URN, CORE_USER_URN, ENTERPRISE_USER_URN } from '../types';
import type { ScimAttribute } from './schema';
import type { ScimSchema } from './schema';

type Facts = Partial<Omit<ScimAttribute, 'name' | 'type' | 'description'>>;

/** RFC 7643 §2.2 defaults; every helper below starts from them. */
export function attr(name: string, type: ScimAttribute['type'], description: string, facts: Facts = {}): ScimAttribute {
  return {
    name,
    type,
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    description,
    ...facts,
  };
}

const str = (name: string, description: string, facts?: Facts) => attr(name, 'string', description, facts);

function complex(name: string, description: string, subAttributes: ScimAttribute[], facts: Facts = {}): ScimAttribute {
  return attr(name, 'complex', description, { ...facts, subAttributes });
}

/** The value/display/type/primary shape shared by User's multi-valued attributes. */
function multiValued(
  name: string,
  description: string,
  value: ScimAttribute,
  typeValues: string[] | undefined,
  entra?: string,
  extra: ScimAttribute[] = [],
): ScimAttribute {
  const type = str('type', `Label for the kind of ${name} entry (e.g. "work").`, typeValues ? { canonicalValues: typeValues } : {});
  return complex(
    name,
    description,
    [
      value,
      str('display', 'Human-readable text for the value, for display only; not used for matching.'),
      ...extra,
      type,
      attr('primary', 'boolean', 'Marks the preferred entry; at most one entry may be primary.'),
    ],
    { multiValued: true, ...(entra ? { entra } : {}) },
  );
}

// ---- common attributes (RFC 7643 §3.1) ------------------------------------------------------------------------

export const COMMON_ATTRIBUTES: readonly ScimAttribute[] = [
  str('id', 'Identifier the service provider assigns to the resource; clients never set it.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
    entra: 'Assigned by Entra; never send it in a provisioning payload.',
  }),
  str('externalId', "The source system's own identifier for the person (e.g. the HR worker ID).", {
    caseExact: true,
    entra:
      'The matching key: by default Entra matches it to the user\'s employeeId. It is also the bulkId of the ' +
      "operation and what other records' manager.value must refer to. Map it for every record, and keep it stable.",
  }),
  complex(
    'meta',
    'Resource metadata kept by the service provider.',
    [
      str('resourceType', 'Kind of resource, e.g. "User".', { caseExact: true, mutability: 'readOnly' }),
      attr('created', 'dateTime', 'When the resource was created.', { mutability: 'readOnly' }),
      attr('lastModified', 'dateTime', 'When the resource last changed.', { mutability: 'readOnly' }),
      attr('location', 'reference', 'URI of the resource at the service provider.', {
        caseExact: true,
        mutability: 'readOnly',
        referenceTypes: ['uri'],
      }),
      str('version', 'Version tag (ETag) of the resource.', { caseExact: true, mutability: 'readOnly' }),
    ],
    { mutability: 'readOnly', entra: 'Server-maintained; ignored in provisioning payloads.' },
  ),
];

// ---- User (RFC 7643 §4.1) -------------------------------------------------------------------------------------

const userAttributes: ScimAttribute[] = [
  str('userName', 'Unique sign-in name of the user, chosen by the client.', {
    required: true,
    uniqueness: 'server',
    entra:
      "Becomes the userPrincipalName. Its domain must be a verified domain of the tenant, or the user isn't created.",
  }),
  complex(
    'name',
    "Parts of the user's real name.",
    [
      str('formatted', 'The whole name as it should be displayed, e.g. "Ms. Barbara J Jensen, III".'),
      str('familyName', 'Last name (surname).', { entra: 'Becomes the surname.' }),
      str('givenName', 'First name.', { entra: 'Becomes the givenName.' }),
      str('middleName', 'Middle name(s).'),
      str('honorificPrefix', 'Title before the name, e.g. "Dr.".'),
      str('honorificSuffix', 'Suffix after the name, e.g. "Jr.".'),
    ],
    { entra: 'givenName and familyName feed Entra givenName and surname.' },
  ),
  str('displayName', 'Name to show for the user in lists and address books.', {
    entra: 'Becomes the Entra displayName (required by Entra to create a user).',
  }),
  str('nickName', 'Casual name, e.g. "Bob" for Robert.'),
  attr('profileUrl', 'reference', "Web address of the user's online profile.", { referenceTypes: ['external'] }),
  str('title', 'Job title, e.g. "Vice President".', { entra: 'Becomes the jobTitle.' }),
  str('userType', 'Relationship to the organization, e.g. "Employee" or "Contractor".', {
    entra: 'Commonly mapped to employeeType (or userType Member/Guest) in the provisioning app.',
  }),
  str('preferredLanguage', 'Preferred written or spoken language, as a language tag such as "en-US".', {
    entra: 'Becomes preferredLanguage; use a tag like "en-US".',
  }),
  str('locale', 'Locale for formatting dates, numbers and currency, e.g. "en-US".'),
  str('timezone', 'Time zone in IANA form, e.g. "America/Los_Angeles".'),
  attr('active', 'boolean', 'Whether the account is enabled.', {
    entra:
      'Becomes accountEnabled. Always map it: records sent without active have ended up with disabled accounts.',
  }),
  str('password', 'Clear-text password to set; write-only and never returned.', {
    mutability: 'writeOnly',
    returned: 'never',
    entra: 'Not used by API-driven provisioning; leave it out.',
  }),
  multiValued(
    'emails',
    'Email addresses of the user.',
    str('value', 'The email address, e.g. "bjensen@example.com".'),
    ['work', 'home', 'other'],
    'emails[type eq "work"].value becomes the mail attribute.',
  ),
  multiValued(
    'phoneNumbers',
    'Phone numbers of the user.',
    str('value', 'The phone number, ideally in RFC 3966 form such as "tel:+1-201-555-0123".'),
    ['work', 'home', 'mobile', 'fax', 'pager', 'other'],
    'type "work" becomes telephoneNumber and type "mobile" becomes mobile.',
  ),
  multiValued(
    'ims',
    'Instant-messaging addresses of the user.',
    str('value', 'The messaging handle or address.'),
    ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo'],
  ),
  multiValued(
    'photos',
    'Pictures of the user, as links.',
    attr('value', 'reference', 'Address of the image file.', { caseExact: true, referenceTypes: ['external'] }),
    ['photo', 'thumbnail'],
  ),
  complex(
    'addresses',
    'Postal addresses of the user.',
    [
      str('formatted', 'The whole address as one text, lines separated by newlines.'),
      str('streetAddress', 'Street, house number and any other street-level lines.', { entra: 'Becomes streetAddress.' }),
      str('locality', 'City or town.', { entra: 'Becomes city.' }),
      str('region', 'State, province or region.', { entra: 'Becomes state.' }),
      str('postalCode', 'ZIP or postal code.', { entra: 'Becomes postalCode.' }),
      str('country', 'Country as an ISO 3166-1 alpha-2 code, e.g. "US".', { entra: 'Becomes country.' }),
      str('type', 'Label for the kind of address (e.g. "work").', { canonicalValues: ['work', 'home', 'other'] }),
      attr('primary', 'boolean', 'Marks the preferred address; at most one address may be primary.'),
    ],
    {
      multiValued: true,
      entra: 'The sub-attributes of addresses[type eq "work"] feed the Entra address fields.',
    },
  ),
  complex(
    'groups',
    'Groups the user belongs to, maintained by the service provider.',
    [
      str('value', 'Identifier of the group.', { mutability: 'readOnly' }),
      attr('$ref', 'reference', 'URI of the group resource.', { mutability: 'readOnly', referenceTypes: ['Group'] }),
      str('display', 'Name of the group, for display only.', { mutability: 'readOnly' }),
      str('type', 'Whether membership is direct or through a nested group.', {
        mutability: 'readOnly',
        canonicalValues: ['direct', 'indirect'],
      }),
    ],
    {
      multiValued: true,
      mutability: 'readOnly',
      entra: 'Read-only: group membership is not provisioned through this API.',
    },
  ),
  multiValued('entitlements', 'Entitlements (rights) the user has.', str('value', 'The entitlement.'), undefined),
  multiValued('roles', 'Roles the user has, e.g. "Student" or "Faculty".', str('value', 'The role.'), undefined),
  multiValued(
    'x509Certificates',
    'Certificates of the user.',
    attr('value', 'binary', 'The DER-encoded certificate, base64-encoded.', { caseExact: true }),
    undefined,
  ),
];

export const CORE_USER_SCHEMA: ScimSchema = {
  id: CORE_USER_URN,
  name: 'User',
  description: 'A person with an account at the service provider.',
  attributes: userAttributes,
};

// ---- Group (RFC 7643 §4.2) ------------------------------------------------------------------------------------

export const CORE_GROUP_SCHEMA: ScimSchema = {
  id: CORE_GROUP_URN,
  name: 'Group',
  description: 'A named collection of users and groups.',
  attributes: [
    str('displayName', 'Name of the group.', { required: true }),
    complex(
      'members',
      'Users and groups that belong to the group.',
      [
        str('value', 'Identifier of the member.', { mutability: 'immutable' }),
        attr('$ref', 'reference', 'URI of the member resource.', { mutability: 'immutable', referenceTypes: ['User', 'Group'] }),
        str('type', 'Whether the member is a user or a group.', { mutability: 'immutable', canonicalValues: ['User', 'Group'] }),
        str('display', 'Name of the member, for display only.', { mutability: 'readOnly' }),
      ],
      { multiValued: true },
    ),
  ],
};

// ---- Enterprise User extension (RFC 7643 §4.3) ----------------------------------------------------------------

export const ENTERPRISE_USER_SCHEMA: ScimSchema = {
  id: ENTERPRISE_USER_URN,
  name: 'EnterpriseUser',
  description: 'Organizational data of a user who works for a business or enterprise.',
  attributes: [
    str('employeeNumber', 'Number the organization assigns to the person, usually the HR identifier.', {
      entra: 'Sent to Entra as-is; note that by default it is externalId, not employeeNumber, that feeds employeeId.',
    }),
    str('costCenter', 'Cost center the person is charged to.', { entra: 'Available in the provisioning app; map it to e.g. employeeOrgData costCenter.' }),
    str('organization', 'Name of the organization.', { entra: 'Usually mapped to companyName.' }),
    str('division', 'Name of the division.', { entra: 'Available in the provisioning app; map it to e.g. employeeOrgData division.' }),
    str('department', 'Name of the department.', { entra: 'Usually mapped to department.' }),
    complex(
      'manager',
      "The person's manager.",
      [
        str('value', 'Identifier of the manager.', {
          required: true,
          caseExact: true,
          entra: "Must be the manager's externalId (as sent in the manager's own record), not an Entra object id.",
        }),
        attr('$ref', 'reference', "URI of the manager's User resource.", { required: true, referenceTypes: ['User'] }),
        str('displayName', "Manager's display name, filled in by the service provider.", { mutability: 'readOnly' }),
      ],
      {
        entra:
          "Only manager.value is used: the manager's externalId. Entra links the manager once that record exists " +
          '(UnableToResolveReferenceAttributeValue otherwise).',
      },
    ),
  ],
};
