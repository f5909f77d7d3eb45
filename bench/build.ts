import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../src/projectRoot.js';

/**
 * The bot as `npm start` runs it: the compiled build in dist/ (tsc), brought up to date
 * first like `npm start` does. The benchmark itself runs in tsx, which compiles TypeScript
 * in its own way (esbuild, keeping every function's name with a call where the function is
 * made); a first turn of the sources run that way took about 8 % longer than the same turn
 * of the build, measured alternating in one process. So whatever the benchmark times of
 * the bot (its turns, the pipeline floor, the recognizer) comes from the build.
 */
export interface Build {
  main: typeof import('../src/main.js');
  config: typeof import('../src/config.js');
  logger: typeof import('../src/logger.js');
  server: typeof import('../src/server.js');
  adapter: typeof import('../src/bot/galleryAdapter.js');
  accessCodes: typeof import('../src/language/accessCodes.js');
  commands: typeof import('../src/language/commands.js');
  phraseLanguage: typeof import('../src/language/phraseLanguage.js');
  recentTexts: typeof import('../src/language/recentTexts.js');
  symptomRecognition: typeof import('../src/language/symptomRecognition.js');
}

async function built<Module>(source: string): Promise<Module> {
  return (await import(pathToFileURL(join(projectRoot(), 'dist', source.replace(/\.ts$/, '.js'))).href)) as Module;
}

/** Compiles when a source is newer than the last build (scripts/build-if-stale.mjs), then loads the build's modules. */
export async function loadBuild(): Promise<Build> {
  execFileSync(process.execPath, [join(projectRoot(), 'scripts', 'build-if-stale.mjs')], { stdio: 'inherit' });
  return {
    main: await built('src/main.ts'),
    config: await built('src/config.ts'),
    logger: await built('src/logger.ts'),
    server: await built('src/server.ts'),
    adapter: await built('src/bot/galleryAdapter.ts'),
    accessCodes: await built('src/language/accessCodes.ts'),
    commands: await built('src/language/commands.ts'),
    phraseLanguage: await built('src/language/phraseLanguage.ts'),
    recentTexts: await built('src/language/recentTexts.ts'),
    symptomRecognition: await built('src/language/symptomRecognition.ts'),
  };
}
