import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './io';
import { loadMappingFile, MappingFileError } from '../engine/pipeline';

/** Strict flags plus positionals, as every command reads them; a bad flag is a usage error (exit 2), not a crash. */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  const config = { args, strict: true as const, allowPositionals: true as const, options };
  try {
    return parseArgs(config);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** `--format text|json`, text when absent. */
export function outputFormat(raw: string | undefined): 'text' | 'json' {
  const format = raw ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format: expected text or json, got '${format}'`);
  return format;
}

/** Loads a mapping file; an unreadable or refused file is a usage error with its path. */
export async function loadMappingOrUsage(...args: Parameters<typeof loadMappingFile>): ReturnType<typeof loadMappingFile> {
  try {
    return await loadMappingFile(...args);
  } catch (e) {
    if (e instanceof MappingFileError) throw new UsageError(e.message);
    throw e;
  }
}
