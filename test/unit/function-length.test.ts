import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/repo-paths.js';

/**
 * The runtime stays readable in one pass: no function (declaration, method, arrow, closure) in
 * runtime/ is longer than MAX_LINES, counted from its first line to its closing brace, nested
 * functions included. Split a long one into named helpers rather than raising the limit.
 */
const MAX_LINES = 60;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [p] : [];
  });
}

function longFunctions(dir: string, max: number): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(dir)) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const first = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
        const last = sf.getLineAndCharacterOfPosition(node.end).line;
        if (last - first + 1 > max) found.push(`${relative(repoRoot, file)}:${first + 1} (${last - first + 1} lines)`);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

describe('function length', () => {
  it(`no function in runtime/ is longer than ${MAX_LINES} lines`, () => {
    expect(longFunctions(join(repoRoot, 'runtime'), MAX_LINES)).toEqual([]);
  });

  it('the check can fail', () => {
    expect(longFunctions(join(repoRoot, 'runtime'), 20).length).toBeGreaterThan(0);
  });
});
