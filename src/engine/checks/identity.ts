/** Which attributes identify a person's account: an invalid or empty one always fails the record. */
import type { ResolvedMapping } from '../analysis/targets';
import type { Target } from '../mapping/model';

export const IDENTITY_ATTRIBUTES = ['externalId', 'userName', 'active'] as const;
export type IdentityAttribute = (typeof IDENTITY_ATTRIBUTES)[number];

/** A top-level externalId, userName or active mapping. */
export function isIdentity(r: ResolvedMapping): boolean {
  return r.container === null && !r.subAttribute && !r.equalities && (IDENTITY_ATTRIBUTES as readonly string[]).includes(r.attribute.name);
}

/** What must have a value on every record: for entra the three identity attributes; for scim userName. */
export function requiredIdentity(target: Target): readonly IdentityAttribute[] {
  return target === 'entra' ? IDENTITY_ATTRIBUTES : ['userName'];
}

export const MISSING_CODE: Record<IdentityAttribute, string> = {
  externalId: 'missing-external-id',
  userName: 'missing-user-name',
  active: 'missing-active',
};

export const MISSING_MESSAGE: Record<IdentityAttribute, string> = {
  externalId: 'externalId is empty: Entra needs it to match the record to a user',
  userName: 'userName is empty: it is the sign-in name (Entra userPrincipalName; SCIM requires it for every User)',
  active: 'active is empty: Entra treats a record without active like a replace and can disable the account; make the expression give true or false for every record',
};
