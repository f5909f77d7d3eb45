// `npm start` runs this first (scripts/start.mjs): it compiles TypeScript only when a source
// is newer than the last build, so a start takes well under two seconds once built, and a
// fresh clone (`npm ci && npm start`) still builds on its first start. `--always`
// (`npm run build`) compiles in any case; either way the build is stamped, so the next start
// does not compile again.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.built');
const inputs = ['src', 'dialogs', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stats.mtimeMs);
}

/** Compiles when a source is newer than the stamp (or `always`); exits with tsc's status when it fails. */
export function buildIfStale({ always = false } = {}) {
  const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  if (always || Math.max(...inputs.map((input) => newest(join(root, input)))) > builtAt) {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
    writeFileSync(stamp, `${new Date().toISOString()}\n`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  buildIfStale({ always: process.argv.includes('--always') });
}
