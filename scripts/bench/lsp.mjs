// Figure 3: the language server on a 150-mapping file with a 10,000-record sample, over stdio like any editor:
// first full validation, didChange → publishDiagnostics after a one-line edit, completion and hover latency while
// validations run. Baseline in the same run: yaml-language-server validating the same file against
// docs/mapping.schema.json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lspMappingText, writeLspSample } from './gen.mjs';
import { BenchLspClient } from './lspClient.mjs';
import { percentile, root, summary } from './util.mjs';

const OURS = [join(root, 'bin/scimmap-language-server.js'), '--stdio'];
const YAMLLS = [join(root, 'node_modules/yaml-language-server/bin/yaml-language-server'), '--stdio'];

function positionOf(text, needle, delta = 0) {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`not in the benchmark file: ${needle}`);
  const before = text.slice(0, offset + delta);
  const line = before.split('\n').length - 1;
  return { line, character: offset + delta - (before.lastIndexOf('\n') + 1) };
}

/** Two versions of the file that differ in one line. */
function variants(text) {
  const from = "Attr000: 'Custom.F00'";
  if (!text.includes(from)) throw new Error('edit line not found');
  return [text, text.replace(from, "Attr000: '$uppercase(Custom.F00)'")];
}

async function ours({ file, text, uri, runs, edits, requests, log }) {
  const first = [];
  for (let i = 0; i < runs; i++) {
    const c = new BenchLspClient(OURS);
    await c.initialize({ workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } });
    const t0 = performance.now();
    await c.open(uri, text, 'scimmap');
    const p = await c.waitPublish(uri, 0, (x) => x.version === 1);
    first.push(performance.now() - t0);
    log(`  scimmap first validation run ${i + 1}: ${Math.round(first[i])} ms (${p.diagnostics.length} diagnostics)`);
    if (i < runs - 1) await c.stop();
    else {
      // Keep the last server for edits and requests.
      const [a, b] = variants(text);
      const change = [];
      let version = 1;
      for (let k = 0; k < edits; k++) {
        version++;
        const t = performance.now();
        await c.change(uri, version, version % 2 ? a : b);
        await c.waitPublish(uri, c.count(uri), (x) => x.version === version);
        change.push(performance.now() - t);
      }
      log(`  scimmap didChange → diagnostics: median ${Math.round(summary(change).median)} ms`);
      // Completion and hover right after an edit: a new version to analyze while the worker re-evaluates the sample.
      const completion = [];
      const hover = [];
      const compAt = positionOf(a, "Attr001: '$uppercase(Custom.", "Attr001: '$uppercase(Custom.".length);
      const hoverAt = [positionOf(a, 'externalId:', 2), positionOf(a, "Attr002: 'Custom.F02", "Attr002: 'Custom.F".length), positionOf(a, 'Employment.Status', 'Employment.St'.length)];
      for (let k = 0; k < requests; k++) {
        version++;
        const seen = c.count(uri);
        await c.change(uri, version, version % 2 ? a : b);
        let t = performance.now();
        const items = await c.request('textDocument/completion', { textDocument: { uri }, position: compAt });
        completion.push(performance.now() - t);
        if (k === 0 && !(items?.items ?? items)?.length) throw new Error('completion returned nothing');
        t = performance.now();
        const h = await c.request('textDocument/hover', { textDocument: { uri }, position: hoverAt[k % hoverAt.length] });
        hover.push(performance.now() - t);
        if (k < hoverAt.length && !h) throw new Error(`hover returned nothing at ${JSON.stringify(hoverAt[k])}`);
        await c.waitPublish(uri, seen, (x) => x.version === version);
      }
      await c.stop();
      return {
        firstValidationMs: summary(first),
        didChangeMs: summary(change),
        completionMs: { ...summary(completion), p50: percentile(completion, 50), p95: percentile(completion, 95) },
        hoverMs: { ...summary(hover), p50: percentile(hover, 50), p95: percentile(hover, 95) },
      };
    }
  }
  throw new Error('unreachable');
}

async function yamlLs({ schema, text, uri, runs, edits, log }) {
  const settings = { yaml: { validate: true, hover: true, completion: true, schemas: { [pathToFileURL(schema).href]: ['*.scimmap.yaml'] } } };
  const first = [];
  const change = [];
  let schemaApplied = false;
  for (let i = 0; i < runs; i++) {
    const c = new BenchLspClient(YAMLLS, { settings });
    await c.initialize({ workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false } }, textDocument: { publishDiagnostics: {} } });
    await c.connection.sendNotification('workspace/didChangeConfiguration', { settings });
    if (i === 0) {
      // Sanity: the schema really applies (a wrong type must be reported), else the comparison means nothing.
      const probe = uri.replace(/\.scimmap\.yaml$/, '-probe.scimmap.yaml');
      await c.open(probe, 'scimmap: 1\ntarget: 42\nmappings: {}\n', 'yaml');
      const p = await c.waitPublish(probe, 0, (x) => x.diagnostics.length > 0, 20_000).catch(() => undefined);
      schemaApplied = !!p;
      if (!schemaApplied) log('  yaml-language-server: the schema did not apply (no diagnostic on a wrong type)');
    }
    const t0 = performance.now();
    await c.open(uri, text, 'yaml');
    await c.waitPublish(uri, 0);
    first.push(performance.now() - t0);
    if (i === runs - 1) {
      const [a, b] = variants(text);
      for (let k = 0; k < edits; k++) {
        const seen = c.count(uri);
        const t = performance.now();
        await c.change(uri, k + 2, k % 2 ? a : b);
        await c.waitPublish(uri, seen);
        change.push(performance.now() - t);
      }
    }
    log(`  yaml-language-server first validation run ${i + 1}: ${Math.round(first[i])} ms`);
    await c.stop();
  }
  const version = JSON.parse((await import('node:fs')).readFileSync(join(root, 'node_modules/yaml-language-server/package.json'), 'utf8')).version;
  return { version, schemaApplied, firstValidationMs: summary(first), didChangeMs: summary(change) };
}

export async function languageServer({ tmp, sampleRecords, runs, edits, requests, log }) {
  const sample = join(tmp, 'lsp-workers.json');
  const file = join(tmp, 'lsp.scimmap.yaml');
  writeLspSample(sample, sampleRecords);
  const text = lspMappingText('lsp-workers.json');
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const mappings = (text.split('mappings:\n')[1].match(/^ {2}\S/gm) ?? []).length;
  const o = await ours({ file, text, uri, runs, edits, requests, log });
  const y = await yamlLs({ schema: join(root, 'docs/mapping.schema.json'), text, uri, runs, edits, log });
  return {
    mappings,
    sampleRecords,
    command: 'node bin/scimmap-language-server.js --stdio (LSP over stdio, scripts/bench/lspClient.mjs)',
    ours: o,
    yamlLanguageServer: y,
    didChangeVsYaml: o.didChangeMs.median / y.didChangeMs.median,
    firstVsYaml: o.firstValidationMs.median / y.firstValidationMs.median,
  };
}
