/** The SCIM schema model (RFC 7643 §7), as data that every feature reads. */

export type ScimType =
  | 'string'
  | 'boolean'
  | 'decimal'
  | 'integer'
  | 'dateTime'
  | 'reference'
  | 'complex'
  | 'binary';

export const SCIM_TYPES: readonly ScimType[] = [
  'string', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'complex', 'binary',
];

export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

export interface ScimAttribute {
  name: string;
  type: ScimType;
  multiValued: boolean;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: ScimAttribute[];
  /** Our own words (hover text). */
  description: string;
  /** What Microsoft Entra API-driven provisioning does with it, in our words (hover text). */
  entra?: string;
}

export interface ScimSchema {
  /** Schema URN, e.g. urn:ietf:params:scim:schemas:core:2.0:User */
  id: string;
  name: string;
  description: string;
  attributes: ScimAttribute[];
}
