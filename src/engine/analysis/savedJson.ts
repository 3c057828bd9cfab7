/**
 * Reads a saved JSON file a mapping names (`app:`, `server:`) through the analysis FileHost (the one bounded
 * reader) and parses it; every way it can fail becomes a phrase for the key's diagnostic, never a throw.
 */
import type { FileHost } from './host';
import { FileRefusedError } from '../files/boundedReader';

export interface SavedJson<T> {
  /** Absolute path of the file. */
  path: string;
  value?: T;
  /** Completes "The … '<file>' …", e.g. "does not exist", "is not a provisioning app schema: …". */
  error?: string;
}

export function readSavedJson<T>(host: FileHost, file: string, parse: (text: string) => T, parseError: new (...args: never[]) => Error, what: string): SavedJson<T> {
  let text: string | undefined;
  try {
    text = host.readText(file, 'json');
  } catch (e) {
    if (e instanceof FileRefusedError) return { path: file, error: `is not read: ${e.reason}` };
    throw e;
  }
  if (text === undefined) return { path: file, error: host.exists(file) ? 'cannot be read' : 'does not exist' };
  try {
    return { path: file, value: parse(text) };
  } catch (e) {
    if (e instanceof parseError) return { path: file, error: `is not ${what}: ${e.message}` };
    throw e;
  }
}
