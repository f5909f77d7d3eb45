import { type ChildProcess, spawn } from 'node:child_process';
import type { ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll } from 'vitest';
import { join } from 'node:path';
import { projectRoot } from '../../src/projectRoot.js';
import { BlobContainerHealth, openContainer } from '../../src/storage/blobStateStorage.js';
import { freePort } from './botProcess.js';

/**
 * The Azure Storage emulator (npm `azurite`), blob service only, in memory, on a free
 * port of 127.0.0.1: a real Blob REST API for the tests of STORAGE=azure-blob.
 */
export interface Azurite {
  port: number;
  /** A connection string for the emulator's well-known development account. */
  connectionString: string;
  /** Stops the emulator; its data goes with it. */
  stop(): Promise<void>;
}

/** The emulator's published development account (the same on every machine, not a secret). */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(port: number): string {
  return `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=http://127.0.0.1:${port}/${DEV_ACCOUNT};`;
}

async function answers(port: number): Promise<boolean> {
  try {
    // Any HTTP answer (the emulator says 400 to a bare GET) means it listens.
    await fetch(`http://127.0.0.1:${port}/${DEV_ACCOUNT}?comp=list`, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

export async function startAzurite(): Promise<Azurite> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    join(projectRoot(), 'node_modules', '.bin', 'azurite-blob'),
    ['--inMemoryPersistence', '--skipApiVersionCheck', '--disableTelemetry', '--silent', '--blobHost', '127.0.0.1', '--blobPort', String(port)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  // About 2 s here; a generous minute for a busy machine.
  for (const deadline = Date.now() + 60_000; !(await answers(port)); ) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`azurite did not start on port ${port}: ${stderr}`);
    }
    await new Promise((tick) => setTimeout(tick, 100));
  }
  return {
    port,
    connectionString: azuriteConnectionString(port),
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((tick) => setTimeout(tick, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
  };
}

let containers = 0;

/** A new container of the emulator, created and answering, so a test shares no blobs with another. */
export async function freshContainer(azurite: Azurite, prefix: string): Promise<ContainerClient> {
  containers += 1;
  const container = openContainer(azurite.connectionString, `${prefix}-${containers}`);
  await new BlobContainerHealth(container).probe();
  return container;
}

/** One emulator for the tests of a file, started before them and stopped after; call at the top level of the file. */
export function useAzurite(): () => Azurite {
  let azurite: Azurite | undefined;
  beforeAll(async () => {
    azurite = await startAzurite();
  }, 120_000);
  afterAll(async () => {
    await azurite?.stop();
  });
  return () => {
    if (azurite === undefined) throw new Error('azurite has not started yet');
    return azurite;
  };
}
