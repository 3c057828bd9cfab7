/**
 * Writing the saved app schema to the file a mapping names (`app:`): the checks and the atomic write are shared
 * with the SCIM server's saved discovery (src/delivery/savedFile.ts).
 */
import { APP_SCHEMA_FILE, savedFileTargetProblem, writeSavedJson } from '../../../delivery/savedFile';

export function savedSchemaTargetProblem(mappingFile: string, target: string, within?: readonly string[]): string | undefined {
  return savedFileTargetProblem(mappingFile, target, APP_SCHEMA_FILE, within);
}

/** Writes the schema as pretty JSON, atomically (a reader never sees half a file). */
export function writeSavedSchema(target: string, schema: unknown): void {
  writeSavedJson(target, schema);
}
