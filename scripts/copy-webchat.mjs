// Copies Web Chat's browser bundle from the dev dependency botframework-webchat into
// public/vendor/, where the server serves it as /widget/webchat.js. The 530 MB package
// stays a dev dependency; the running server needs this one file (and its licence).
// Run by `npm install`/`npm ci` (postinstall) and `npm run build`.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'node_modules', 'botframework-webchat', 'dist');
const target = join(root, 'public', 'vendor');

if (!existsSync(join(source, 'webchat.js'))) {
  if (existsSync(join(target, 'webchat.js'))) process.exit(0);
  console.warn('botframework-webchat is not installed (a production install?): the help chat page will answer 503 for its bundle. Run npm install first.');
  process.exit(0);
}
mkdirSync(target, { recursive: true });
copyFileSync(join(source, 'webchat.js'), join(target, 'webchat.js'));
copyFileSync(join(source, 'webchat.js.LICENSE.txt'), join(target, 'webchat.js.LICENSE.txt'));
