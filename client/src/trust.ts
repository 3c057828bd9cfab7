// Workspace Trust: what Restricted Mode turns off, in one sentence the commands and the docs share.
export const RESTRICTED_MODE_MESSAGE =
  'This workspace is in Restricted Mode: SCIM Mapper checks mappings statically only. Trusting the workspace turns on sample checks, the preview, inline values, test uploads, the local stand-in and reading samples from HR systems.';
