import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AttrPathNode, FilterNode } from '../../../src/engine/scim';

/** test/fixtures/reference, from the compiled location out/test/unit/scim. */
export const REFERENCE_DIR = resolve(__dirname, '../../../../test/fixtures/reference');

export function readReference<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(join(REFERENCE_DIR, file), 'utf8')) as T;
}

function pathText(p: AttrPathNode): string {
  return (p.urn !== undefined ? `${p.urn}:` : '') + p.attribute + (p.subAttribute !== undefined ? `.${p.subAttribute}` : '');
}

/** Compact S-expression of a filter AST, to assert shapes and precedence in one line. */
export function sexpr(node: FilterNode): string {
  switch (node.kind) {
    case 'and':
    case 'or':
      return `(${node.kind} ${sexpr(node.left)} ${sexpr(node.right)})`;
    case 'not':
      return `(not ${sexpr(node.filter)})`;
    case 'present':
      return `(pr ${pathText(node.path)})`;
    case 'compare':
      return `(${node.op} ${pathText(node.path)} ${JSON.stringify(node.value.value)})`;
    case 'valuePath':
      return `(${pathText(node.path)}[] ${sexpr(node.filter)})`;
  }
}

/** Every node of a filter AST, depth first. */
export function nodes(node: FilterNode): FilterNode[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return [node, ...nodes(node.left), ...nodes(node.right)];
    case 'not':
    case 'valuePath':
      return [node, ...nodes(node.filter)];
    default:
      return [node];
  }
}
