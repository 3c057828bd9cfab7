/** File side of the CSV2SCIM import, shared by `scimmap import csv2scim` and the editor's import command. */
import * as path from 'node:path';
import { FileRefusedError, readFileBytes } from '../../engine/files/boundedReader';
import { readSample, ReaderError } from '../../engine/readers';
import { importCsv2Scim, ImportResult } from './importer';

/** A .psd1 is a small text file; a bigger one is not an attribute mapping. */
export const MAX_PSD1_BYTES = 1024 * 1024;

export class ImportFileError extends Error {}

export interface ImportFilesOptions {
  psd1Path: string;
  csvPath?: string;
  /** Where the mapping will be written: `source.sample` is relative to it. */
  outPath: string;
}

/** Reads the .psd1 (and the CSV's header), translates; writes nothing. */
export async function importCsv2ScimFiles(o: ImportFilesOptions): Promise<ImportResult> {
  const psd1Text = readPsd1(o.psd1Path);
  let columns: string[] | undefined;
  let sample: string | undefined;
  if (o.csvPath) {
    try {
      const s = await readSample(o.csvPath, { limit: 1, format: 'csv' });
      columns = [...(s.header ?? Object.keys(s.records[0]?.value ?? {}))];
    } catch (e) {
      if (e instanceof ReaderError) throw new ImportFileError(`${path.basename(o.csvPath)}: ${e.message}`);
      throw e;
    }
    sample = path.relative(path.dirname(o.outPath), o.csvPath).split(path.sep).join('/');
  }
  return importCsv2Scim(psd1Text, { psd1Name: path.basename(o.psd1Path), columns, sample });
}

/** The mapping's default name: AttributeMapping.psd1 → AttributeMapping.scimmap.yaml beside it. */
export function defaultOutPath(psd1Path: string): string {
  return path.join(path.dirname(psd1Path), `${path.basename(psd1Path).replace(/\.psd1$/i, '')}.scimmap.yaml`);
}

function readPsd1(abs: string): string {
  const shown = path.basename(abs);
  let buf: Buffer;
  try {
    // The bounded reader: regular files only (a FIFO or device cannot hang the import), at most MAX_PSD1_BYTES.
    buf = readFileBytes(abs, 'psd1', { maxBytes: MAX_PSD1_BYTES });
  } catch (e) {
    throw new ImportFileError(`${shown}: ${e instanceof FileRefusedError ? e.reason : (e as Error).message}`);
  }
  // Windows PowerShell writes UTF-16 LE with a BOM by default.
  if (buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf[0] === 0xfe && buf[1] === 0xff) return Buffer.from(buf.subarray(2)).swap16().toString('utf16le');
  return buf.toString('utf8');
}
