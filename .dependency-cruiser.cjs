/**
 * The design's dependency rules ("Dependency rules that keep it that way"), checked by
 * dependency-cruiser over src/ and dialogs/ (test/architecture/dependencies.test.ts runs it
 * with every test run; `npx depcruise src dialogs` shows the same from the command line).
 * Paths are relative to the repository; packages resolve into node_modules/<name>/.
 */

/** Packages that are a storage or a server: never named by a dialog. */
const SERVER_AND_STORAGE_PACKAGES = '(^|/)node_modules/(restify|better-sqlite3|botbuilder-azure[^/]*|@azure/storage-blob)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-imports-only-domain',
      comment: 'The domain is plain TypeScript: no botbuilder, no restify, no storage, no I/O, not even node built-ins or zod.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'dialogs-no-server-or-storage-packages',
      comment: 'Dialogs never import restify, a storage driver or the Azure storage SDK.',
      severity: 'error',
      from: { path: '^dialogs/' },
      to: { path: SERVER_AND_STORAGE_PACKAGES },
    },
    {
      name: 'dialogs-no-storage',
      comment: 'Dialogs never name a storage implementation: state reaches them through the turn.',
      severity: 'error',
      from: { path: '^dialogs/' },
      to: { path: '^src/storage/' },
    },
    {
      name: 'dialogs-only-platform-port',
      comment: 'Dialogs use the platform port, never the embedded or the HTTP platform.',
      severity: 'error',
      from: { path: '^dialogs/' },
      to: { path: '^src/platform/', pathNot: '^src/platform/port\\.ts$' },
    },
    {
      name: 'dialogs-only-reply-model',
      comment:
        "Dialogs build the channel-neutral reply model; turning it into a channel's cards, blocks or " +
        'markdown (renderers, Slack payloads, delivery) is the channels\' job.',
      severity: 'error',
      from: { path: '^dialogs/' },
      to: { path: '^src/channels/', pathNot: '^src/channels/(replyModel|diagnosisEntity)\\.ts$' },
    },
    {
      name: 'dialogs-read-text-with-their-recognizer',
      comment:
        'Dialogs and the turn read free text with the Recognizer they are given (src/language/recognizer.ts), ' +
        'never by calling a recognition module themselves; its types, the messages and the language list are theirs to use.',
      severity: 'error',
      from: { path: '^(dialogs/|src/bot/)' },
      to: {
        path: '^src/language/',
        pathNot: '^src/language/(recognizer|messages|languages|intents|textFolding)\\.ts$',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'renderers-no-dialogs',
      comment: 'A renderer turns replies into activities; it knows nothing of the conversation that made them.',
      severity: 'error',
      from: { path: '^src/channels/' },
      to: { path: '^dialogs/' },
    },
    {
      name: 'nothing-imports-composition-root',
      comment: 'src/main.ts wires every implementation together; a module importing it would know them all.',
      severity: 'error',
      from: { pathNot: '^src/main\\.ts$' },
      to: { path: '^src/main\\.ts$' },
    },
    {
      name: 'no-circular',
      comment: 'Modules form layers; a cycle means two of them are one module in two files.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // `import type` counts: a type from botbuilder in the domain is a dependency all the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
