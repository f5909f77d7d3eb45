import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The domain imports nothing but itself: no botbuilder, no restify, no zod, no storage,
 * no I/O, not even node built-ins. The check reads the sources, so it also catches
 * `import type`, re-exports, dynamic imports and require().
 */
const domainDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/domain');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(c|m)?(t|j)sx?$/.test(entry.name) ? [path] : [];
  });
}

/** Every module specifier in a source file. */
function specifiers(source: string): string[] {
  const withoutComments = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"`]([^'"`]+)['"`]/g, // import x from '…', export * from '…'
    /\bimport\s*['"`]([^'"`]+)['"`]/g, // import '…' (side effect)
    /\bimport\s*\(\s*['"`]([^'"`]+)['"`]/g, // import('…'), import type('…')
    /\brequire\s*\(\s*['"`]([^'"`]+)['"`]/g, // require('…')
    /\bimport\s+\w+\s*=\s*require\s*\(\s*['"`]([^'"`]+)['"`]/g,
  ];
  return patterns.flatMap((pattern) => [...withoutComments.matchAll(pattern)].map((m) => m[1]!));
}

function outside(file: string, specifier: string): boolean {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return true; // a package or a node built-in
  const target = resolve(dirname(file), specifier);
  const rel = relative(domainDir, target);
  return rel.startsWith('..') || rel.split(sep).includes('..');
}

describe('the domain imports nothing but itself', () => {
  const files = sourceFiles(domainDir);

  it('finds the domain sources', () => {
    expect(files.map((f) => relative(domainDir, f))).toEqual(expect.arrayContaining(['scenarios.ts', 'fixPlans.ts', 'facts.ts', 'accessCode.ts']));
  });

  it.each(files.map((f) => [relative(domainDir, f), f] as const))('%s', (_name, file) => {
    const source = readFileSync(file, 'utf8');
    const offending = specifiers(source).filter((s) => outside(file, s));
    expect(offending).toEqual([]);
    // Globals that mean I/O or a clock/random source are not imports but break purity as well.
    expect(source).not.toMatch(/\bprocess\.(env|stdout|stderr|exit)\b|\bfetch\s*\(|\bsetTimeout\s*\(/);
  });

  it('the check itself recognises every import form', () => {
    const src = [
      "import { x } from 'botbuilder';",
      "import type { Y } from \"restify\";",
      "export * from 'zod';",
      "import 'node:fs';",
      "const m = await import('node:path');",
      "const r = require('better-sqlite3');",
      "import {\n  a,\n  b,\n} from '../platform/port.js';",
      "import { ok } from './facts.js';",
      "// import { gone } from 'commented-out';",
    ].join('\n');
    const found = specifiers(src);
    expect(found).toEqual(expect.arrayContaining(['botbuilder', 'restify', 'zod', 'node:fs', 'node:path', 'better-sqlite3', '../platform/port.js', './facts.js']));
    expect(found).not.toContain('commented-out');
    const file = join(domainDir, 'x.ts');
    expect(found.filter((s) => outside(file, s)).sort()).toEqual(['../platform/port.js', 'better-sqlite3', 'botbuilder', 'node:fs', 'node:path', 'restify', 'zod']);
  });
});
