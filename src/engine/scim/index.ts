/** Public API of the SCIM model: schemas, filter and path parsing, schema registry, suggestions. */
export * from './schema';
export { COMMON_ATTRIBUTES, CORE_USER_SCHEMA, CORE_GROUP_SCHEMA, ENTERPRISE_USER_SCHEMA } from './coreSchemas';
export { parseFilter, COMPARE_OPS, isAttrName } from './filter';
export type {
  AttrPathNode,
  CompareNode,
  CompareOp,
  CompValue,
  FilterNode,
  FilterResult,
  LiteralNode,
  LogicalNode,
  NotNode,
  PresentNode,
  ScimSyntaxError,
  TextRange,
  ValuePathNode,
} from './filter';
export { parseTargetPath, filterEqualities } from './path';
export type { FilterEqualities, TargetPath, TargetPathResult } from './path';
export {
  createSchemaSet,
  findAttribute,
  resolveTargetPath,
  schemaFromJson,
  schemaFromTypeMap,
  isSchemaUrn,
} from './registry';
export type {
  ResolvedTarget,
  ResolveFailure,
  ResolveFailureKind,
  SchemaSet,
  TargetResolution,
  TypeMapError,
} from './registry';
export { didYouMean, didYouMeanBy, editDistance } from './suggest';
export type { DidYouMeanOptions } from './suggest';
