import { crc32, deflateRawSync } from 'node:zlib';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { projectRoot } from '../projectRoot.js';

/**
 * `npm run teams:package`: the Teams app package an admin uploads (Teams admin center,
 * or "Upload a custom app"): teams/manifest.json with the bot's app id and domain
 * filled in, plus its two icons, zipped as `dist/teams-app.zip`.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ZipEntry {
  name: string;
  data: Buffer;
}

/** A minimal ZIP writer (deflate, no extras): enough for three files, no dependency. */
function zip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, compressed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export function fillManifest(template: string, values: { appId: string; domain: string }): string {
  if (!GUID.test(values.appId)) throw new Error(`MicrosoftAppId must be the bot's Azure app id (a GUID), got "${values.appId}"`);
  if (!/^[a-z0-9.-]+(:\d+)?$/i.test(values.domain)) throw new Error(`BOT_DOMAIN must be a host name such as bot.example.com, got "${values.domain}"`);
  const filled = template.replaceAll('{{MicrosoftAppId}}', values.appId).replaceAll('{{BOT_DOMAIN}}', values.domain);
  JSON.parse(filled);
  return filled;
}

export async function buildTeamsPackage(values: { appId: string; domain: string }, root = projectRoot()): Promise<string> {
  const folder = join(root, 'teams');
  const manifest = fillManifest(await readFile(join(folder, 'manifest.json'), 'utf8'), values);
  const archive = zip([
    { name: 'manifest.json', data: Buffer.from(manifest, 'utf8') },
    { name: 'color.png', data: await readFile(join(folder, 'color.png')) },
    { name: 'outline.png', data: await readFile(join(folder, 'outline.png')) },
  ]);
  const target = join(root, 'dist', 'teams-app.zip');
  await mkdir(join(root, 'dist'), { recursive: true });
  await writeFile(target, archive);
  return target;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const appId = process.env.MicrosoftAppId ?? '';
  const domain = process.env.BOT_DOMAIN ?? '';
  buildTeamsPackage({ appId, domain }).then(
    (target) => console.log(`Teams app package written to ${target}`),
    (error: Error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
