import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTeamsPackage, fillManifest } from '../../src/cli/teamsPackage.js';
import { projectRoot } from '../../src/projectRoot.js';

/** Reads the entries of a ZIP archive through its central directory, as Teams does. */
function unzip(archive: Buffer): Map<string, Buffer> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i += 1) {
    expect(archive.readUInt32LE(at)).toBe(0x02014b50);
    const size = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const localOffset = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const localNameLength = archive.readUInt16LE(localOffset + 26);
    const dataStart = localOffset + 30 + localNameLength;
    files.set(name, inflateRawSync(archive.subarray(dataStart, dataStart + size)));
    at += 46 + nameLength;
  }
  return files;
}

const APP_ID = '11111111-2222-3333-4444-555555555555';
const folders: string[] = [];

afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

describe('Teams app package', () => {
  it('fills the app id and domain into the manifest, and refuses values Teams would reject', async () => {
    const template = await readFile(join(projectRoot(), 'teams', 'manifest.json'), 'utf8');
    const manifest = JSON.parse(fillManifest(template, { appId: APP_ID, domain: 'bot.example.com' }));
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(manifest.validDomains).toEqual(['bot.example.com']);
    expect(JSON.stringify(manifest)).not.toContain('{{');
    expect(() => fillManifest(template, { appId: 'my-bot', domain: 'bot.example.com' })).toThrow(/MicrosoftAppId/);
    expect(() => fillManifest(template, { appId: APP_ID, domain: 'https://bot.example.com/' })).toThrow(/BOT_DOMAIN/);
  });

  it('zips the manifest and both icons into a package that unzips intact', async () => {
    const root = await mkdtemp(join(tmpdir(), 'teams-package-'));
    folders.push(root);
    await cp(join(projectRoot(), 'teams'), join(root, 'teams'), { recursive: true });
    const target = await buildTeamsPackage({ appId: APP_ID, domain: 'bot.example.com' }, root);
    const files = unzip(await readFile(target));
    expect([...files.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png']);
    expect(JSON.parse(files.get('manifest.json')!.toString('utf8')).id).toBe(APP_ID);
    expect(files.get('color.png')).toEqual(await readFile(join(root, 'teams', 'color.png')));
    // Teams wants a 192×192 color icon and a 32×32 outline icon.
    expect(files.get('color.png')!.readUInt32BE(16)).toBe(192);
    expect(files.get('outline.png')!.readUInt32BE(16)).toBe(32);
  });
});
