/**
 * The synchronizationSchema a new "API-driven provisioning to Microsoft Entra ID" app starts with, as the
 * stand-in serves it. Microsoft does not publish this default (UNCONFIRMED as a complete list): the attribute
 * list and mappings follow what Microsoft's own provisioning web client maps when it syncs a schema, and the
 * attribute names follow SCIM paths as the portal's "Edit attribute list for API" shows them. Choices made here
 * (and documented in docs/provisioning-app.md):
 *  - source directory "API", object "User"; target directory "Microsoft Entra ID", object "User";
 *  - externalId → employeeId is the matching attribute (priority 1);
 *  - employeeNumber, costCenter and division are in the list but unmapped (employeeId is already externalId's).
 */
import { ENTERPRISE_USER_URN } from '../../../engine/types';
import type { AttributeDefinition, AttributeMapping, SynchronizationSchema } from './schema';

const E = ENTERPRISE_USER_URN;

/** [source attribute, type, Entra property or undefined (listed, unmapped)] */
const DEFAULTS: Array<[string, string, string | undefined]> = [
  ['externalId', 'String', 'employeeId'],
  ['userName', 'String', 'userPrincipalName'],
  ['displayName', 'String', 'displayName'],
  ['name.givenName', 'String', 'givenName'],
  ['name.familyName', 'String', 'surname'],
  ['title', 'String', 'jobTitle'],
  ['active', 'Boolean', 'accountEnabled'],
  ['userType', 'String', 'userType'],
  ['preferredLanguage', 'String', 'preferredLanguage'],
  ['emails[type eq "work"].value', 'String', 'mail'],
  ['phoneNumbers[type eq "work"].value', 'String', 'telephoneNumber'],
  ['addresses[type eq "work"].streetAddress', 'String', 'streetAddress'],
  ['addresses[type eq "work"].locality', 'String', 'city'],
  ['addresses[type eq "work"].region', 'String', 'state'],
  ['addresses[type eq "work"].postalCode', 'String', 'postalCode'],
  ['addresses[type eq "work"].country', 'String', 'country'],
  [`${E}:department`, 'String', 'department'],
  [`${E}:organization`, 'String', 'companyName'],
  [`${E}:manager`, 'Reference', 'manager'],
  [`${E}:employeeNumber`, 'String', undefined],
  [`${E}:costCenter`, 'String', undefined],
  [`${E}:division`, 'String', undefined],
];

/** Entra user properties the target directory lists (types as Graph's schema shows them). */
const ENTRA_USER: Array<[string, string]> = [
  ['accountEnabled', 'Boolean'], ['city', 'String'], ['companyName', 'String'], ['country', 'String'], ['department', 'String'],
  ['displayName', 'String'], ['employeeHireDate', 'DateTime'], ['employeeId', 'String'], ['employeeLeaveDateTime', 'DateTime'],
  ['employeeOrgData.costCenter', 'String'], ['employeeOrgData.division', 'String'], ['employeeType', 'String'], ['givenName', 'String'],
  ['jobTitle', 'String'], ['mail', 'String'], ['mailNickname', 'String'], ['manager', 'Reference'], ['mobile', 'String'],
  ['officeLocation', 'String'], ['postalCode', 'String'], ['preferredLanguage', 'String'], ['state', 'String'], ['streetAddress', 'String'],
  ['surname', 'String'], ['telephoneNumber', 'String'], ['usageLocation', 'String'], ['userPrincipalName', 'String'], ['userType', 'String'],
];

export function attributeDefinition(name: string, type: string): AttributeDefinition {
  return {
    name, type, anchor: false, caseExact: false, flowNullValues: false, multivalued: false, mutability: 'ReadWrite', required: false,
    apiExpressions: [], metadata: [], referencedObjects: type === 'Reference' ? [{ referencedObjectName: 'User', referencedProperty: null }] : [],
  };
}

function directMapping(source: string, target: string, matchingPriority = 0): AttributeMapping {
  return {
    defaultValue: null, exportMissingReferences: false, flowBehavior: 'FlowWhenChanged', flowType: 'Always', matchingPriority,
    targetAttributeName: target, source: { expression: `[${source}]`, name: source, parameters: [], type: 'Attribute' },
  };
}

export function defaultAppSchema(): SynchronizationSchema {
  return {
    id: 'API2AAD',
    version: 'Date:2024-01-01T00:00:00Z~###~SchemaVersion:1',
    directories: [
      { id: 'API', name: 'API', objects: [{ name: 'User', attributes: DEFAULTS.map(([n, t]) => attributeDefinition(n, t)), metadata: [], supportedApis: [] }], discoverabilities: 'None', metadata: [], readOnly: false, version: 'Date:2024-01-01T00:00:00Z' },
      { id: 'AAD', name: 'Microsoft Entra ID', objects: [{ name: 'User', attributes: ENTRA_USER.map(([n, t]) => attributeDefinition(n, t)), metadata: [], supportedApis: [] }], discoverabilities: 'None', metadata: [], readOnly: true, version: 'Date:2024-01-01T00:00:00Z' },
    ],
    synchronizationRules: [
      {
        id: 'API2AAD', name: 'API2AAD', editable: true, priority: 1, containerFilter: { includedContainers: [] }, groupFilter: { includedGroups: [] }, metadata: [],
        sourceDirectoryName: 'API', targetDirectoryName: 'Microsoft Entra ID',
        objectMappings: [
          {
            name: 'Provision API User', enabled: true, flowTypes: 'Add, Update, Delete', metadata: [], scope: null,
            sourceObjectName: 'User', targetObjectName: 'User',
            attributeMappings: DEFAULTS.filter(([, , t]) => t !== undefined).map(([s, , t]) => directMapping(s, t!, s === 'externalId' ? 1 : 0)),
          },
        ],
      },
    ],
  };
}
