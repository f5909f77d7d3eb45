import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { channelAuthenticationEnabled, ConfigError, isLoopback, loadConfig } from '../../src/config.js';
import { projectRoot } from '../../src/projectRoot.js';

/**
 * loadConfig over the design's configuration table: defaults, one-line errors that name the
 * variable and never echo a secret, the cross-field rules, and `.env.example` as the list
 * of every variable.
 */

/** The design's defaults, exactly: everything else is unset. */
const DESIGN_DEFAULTS = {
  PORT: 3978,
  HOST: '127.0.0.1',
  PLATFORM_API_TIMEOUT_MS: 3000,
  STORAGE: 'sqlite',
  STORAGE_PATH: './data/bot.sqlite',
  AZURE_STORAGE_CONTAINER: 'bot-state',
  HANDOFF_FORMAT: 'generic',
  DEFAULT_LOCALE: 'en-US',
  LOG_LEVEL: 'info',
  WIDGET_ORIGINS: [],
  RETENTION_DAYS: 30,
};

/** The variables of the design's configuration table. */
const DESIGN_VARIABLES = [
  'PORT',
  'HOST',
  'PLATFORM_DATA',
  'PLATFORM_API_URL',
  'PLATFORM_API_TOKEN',
  'PLATFORM_API_TIMEOUT_MS',
  'STORAGE',
  'STORAGE_PATH',
  'AZURE_STORAGE_CONNECTION_STRING',
  'AZURE_STORAGE_CONTAINER',
  'HANDOFF_FORMAT',
  'HANDOFF_WEBHOOK_URL',
  'HANDOFF_API_KEY',
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppType',
  'MicrosoftAppTenantId',
  'DIRECTLINE_SECRET',
  'WIDGET_ORIGINS',
  'ADMIN_TOKEN',
  'RETENTION_DAYS',
  'SUPPORT_HOURS',
  'DEFAULT_LOCALE',
  'LOG_LEVEL',
];

/**
 * The schema's variables, seen from outside: loadConfig reads every key of its schema from
 * the environment object, so a Proxy that records property reads lists them.
 */
function schemaVariables(): string[] {
  const read = new Set<string>();
  const env = new Proxy({} as NodeJS.ProcessEnv, {
    get(target, key) {
      if (typeof key === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) read.add(key);
      return Reflect.get(target, key);
    },
  });
  loadConfig(env);
  return [...read].sort();
}

/** The ConfigError loadConfig throws for `env`. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

function expectOneLineNaming(error: ConfigError, variable: string): void {
  expect(error.message).not.toContain('\n');
  expect(error.message).toMatch(/^Invalid configuration: /);
  expect(error.message).toMatch(new RegExp(`\\b${variable}\\b`));
  expect(error.name).toBe('ConfigError');
}

describe('defaults', () => {
  it('an empty environment gives exactly the design defaults, everything else unset', () => {
    expect(loadConfig({})).toStrictEqual(DESIGN_DEFAULTS);
  });

  it('ignores variables that are not its own (the real process environment is full of them)', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/root', NODE_ENV: 'production', npm_config_cache: 'x' })).toStrictEqual(DESIGN_DEFAULTS);
  });

  it('treats an empty or blank text value as unset', () => {
    expect(loadConfig({ PORT: '', HOST: '  ', STORAGE_PATH: '', DEFAULT_LOCALE: '', PLATFORM_DATA: ' ', MicrosoftAppId: '' })).toEqual(DESIGN_DEFAULTS);
  });

  // `.env` files and container definitions often carry `NAME=` for "not set".
  it('treats an empty value as unset for the choice variables too', () => {
    for (const variable of ['STORAGE', 'HANDOFF_FORMAT', 'LOG_LEVEL', 'MicrosoftAppType']) {
      expect(() => loadConfig({ [variable]: '' }), variable).not.toThrow();
    }
  });

  it('reads values, trims them and converts PORT to a number', () => {
    const config = loadConfig({
      PORT: ' 8080 ',
      HOST: '127.0.0.1',
      STORAGE: 'memory',
      STORAGE_PATH: '/var/lib/bot/state.sqlite',
      PLATFORM_DATA: './platform.json',
      HANDOFF_FORMAT: 'zendesk',
      HANDOFF_WEBHOOK_URL: 'https://example.zendesk.com',
      HANDOFF_API_KEY: 'agent@example.com/token:t0ken',
      DEFAULT_LOCALE: 'de-DE',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({ PORT: 8080, HOST: '127.0.0.1', STORAGE: 'memory', HANDOFF_FORMAT: 'zendesk', DEFAULT_LOCALE: 'de-DE', LOG_LEVEL: 'debug' });
    expect(loadConfig({ PORT: '0' }).PORT).toBe(0);
    expect(loadConfig({ PORT: '65535' }).PORT).toBe(65535);
  });

  it('listens on 127.0.0.1 in local mode and on all interfaces with credentials, unless HOST is set', () => {
    expect(loadConfig({}).HOST).toBe('127.0.0.1');
    expect(loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw' }).HOST).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '10.0.0.5', MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw' }).HOST).toBe('10.0.0.5');
  });

  it('knows which addresses only this machine reaches', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) expect(isLoopback(address), address).toBe(true);
    for (const address of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'bot.example.com', '128.0.0.1']) expect(isLoopback(address), address).toBe(false);
  });

  it('switches channel authentication on exactly when MicrosoftAppId is set', () => {
    expect(channelAuthenticationEnabled(loadConfig({}))).toBe(false);
    expect(channelAuthenticationEnabled(loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw' }))).toBe(true);
  });
});

describe('the widget variables', () => {
  it('WIDGET_ORIGINS is a list of origins, comma- or space-separated, a trailing slash dropped', () => {
    expect(loadConfig({ WIDGET_ORIGINS: 'https://shop.example.com, http://localhost:8080/  https://b.example' }).WIDGET_ORIGINS).toEqual([
      'https://shop.example.com',
      'http://localhost:8080',
      'https://b.example',
    ]);
  });

  it.each(['https://shop.example.com/path', '*', 'shop.example.com', 'ftp://shop.example.com', 'https://shop.example.com?x=1'])(
    'WIDGET_ORIGINS=%s is not an origin',
    (value) => {
      const error = configError({ WIDGET_ORIGINS: value });
      expectOneLineNaming(error, 'WIDGET_ORIGINS');
    },
  );

  it('DIRECTLINE_SECRET must be long enough to sign tokens safely, and is never shown', () => {
    const error = configError({ DIRECTLINE_SECRET: 'short-SECRET' });
    expectOneLineNaming(error, 'DIRECTLINE_SECRET');
    expect(error.message).not.toContain('short-SECRET');
    expect(loadConfig({ DIRECTLINE_SECRET: 'x'.repeat(32) }).DIRECTLINE_SECRET).toBe('x'.repeat(32));
  });
});

describe('the admin variables', () => {
  it('ADMIN_TOKEN is unset by default (admin endpoints off) and taken as it is when long enough', () => {
    expect(loadConfig({}).ADMIN_TOKEN).toBeUndefined();
    expect(loadConfig({ ADMIN_TOKEN: '  ' }).ADMIN_TOKEN).toBeUndefined();
    expect(loadConfig({ ADMIN_TOKEN: ` ${'a'.repeat(32)} ` }).ADMIN_TOKEN).toBe('a'.repeat(32));
  });

  it('a too short ADMIN_TOKEN stops the start, named and never shown', () => {
    const error = configError({ ADMIN_TOKEN: 'SECRET-admin-short' });
    expectOneLineNaming(error, 'ADMIN_TOKEN');
    expect(error.message).toContain('at least 32 characters');
    expect(error.message).not.toContain('SECRET');
  });
});

describe('RETENTION_DAYS', () => {
  it('is a whole number of days, 30 by default', () => {
    expect(loadConfig({}).RETENTION_DAYS).toBe(30);
    expect(loadConfig({ RETENTION_DAYS: ' 90 ' }).RETENTION_DAYS).toBe(90);
    expect(loadConfig({ RETENTION_DAYS: '1' }).RETENTION_DAYS).toBe(1);
    for (const bad of ['0', '-3', '2.5', 'thirty', '3651']) {
      const error = configError({ RETENTION_DAYS: bad });
      expectOneLineNaming(error, 'RETENTION_DAYS');
      expect(error.message).toContain(`"${bad}"`);
    }
  });
});

describe('an invalid value is a ConfigError of one line naming the variable', () => {
  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '3978.5'],
    ['PORT', '123456'],
    ['STORAGE', 'redis'],
    ['STORAGE', 'SQLite'],
    ['HANDOFF_FORMAT', 'jira'],
    ['MicrosoftAppType', 'Single'],
    ['DEFAULT_LOCALE', 'english'],
    ['DEFAULT_LOCALE', 'EN-us'],
    ['LOG_LEVEL', 'verbose'],
  ])('%s=%s', (variable, value) => {
    const env: NodeJS.ProcessEnv = { [variable]: value };
    if (variable === 'PLATFORM_API_URL') env.PLATFORM_API_TOKEN = 'token';
    const error = configError(env);
    expectOneLineNaming(error, variable);
    expect(error.message).toContain(`"${value}"`); // a non-secret value is shown, to help the fix
  });
});

describe('secrets are never echoed', () => {
  const SECRETS = {
    MicrosoftAppPassword: 'Pw~SECRET-app-password',
    PLATFORM_API_TOKEN: 'SECRET-platform-token',
    HANDOFF_API_KEY: 'SECRET-handoff-key',
    AZURE_STORAGE_CONNECTION_STRING: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=SECRET-account-key',
    DIRECTLINE_SECRET: 'SECRET-directline-signs-web-chat-tokens',
    ADMIN_TOKEN: 'SECRET-admin-token-of-the-operators-0123',
  };

  function expectNoSecret(message: string): void {
    for (const secret of Object.values(SECRETS)) expect(message).not.toContain(secret);
    expect(message).not.toMatch(/SECRET/);
  }

  it('not in the error of another variable', () => {
    for (const [variable, value] of [
      ['PORT', 'abc'],
      ['STORAGE', 'redis'],
      ['LOG_LEVEL', 'loud'],
      ['MicrosoftAppType', 'Other'],
    ] as const) {
      expectNoSecret(configError({ ...SECRETS, MicrosoftAppId: 'app', [variable]: value }).message);
    }
  });

  it('not in the errors of the cross-field rules', () => {
    expectNoSecret(configError({ ...SECRETS, PLATFORM_API_TOKEN: ' ', PLATFORM_API_URL: 'https://platform.example.com' }).message);
    expectNoSecret(configError({ ...SECRETS, AZURE_STORAGE_CONNECTION_STRING: '', STORAGE: 'azure-blob' }).message);
    expectNoSecret(configError({ ...SECRETS, MicrosoftAppId: 'app', MicrosoftAppPassword: '   ' }).message);
    expectNoSecret(configError({ ...SECRETS, MicrosoftAppId: 'app', MicrosoftAppType: 'SingleTenant' }).message);
  });

  it('a blank secret named in an error is not shown either', () => {
    const error = configError({ MicrosoftAppId: 'app', MicrosoftAppPassword: '   ' });
    expectOneLineNaming(error, 'MicrosoftAppPassword');
    expect(error.message).not.toContain('got');
  });

  // Webhook and API URLs often carry the secret themselves (Slack-style webhook paths, user:password@).
  it.each([
    ['PLATFORM_API_URL', 'not a url', '"not a url"'],
    ['PLATFORM_API_URL', 'ftp://platform.example.com', '"ftp://platform.example.com"'],
    ['HANDOFF_WEBHOOK_URL', 'example.com/hook', '"example.com/…"'],
    ['HANDOFF_WEBHOOK_URL', 'file:///etc/passwd', '"file:///…"'],
  ])('an invalid %s=%s is shown only as where it points: %s', (variable, value, shown) => {
    const env: NodeJS.ProcessEnv = { [variable]: value };
    if (variable === 'PLATFORM_API_URL') env.PLATFORM_API_TOKEN = 'token';
    const error = configError(env);
    expectOneLineNaming(error, variable);
    expect(error.message).toContain(shown);
  });

  it('not as part of an invalid URL value', () => {
    const webhook = configError({ HANDOFF_WEBHOOK_URL: 'hooks.slack.com/services/T0000/B0000/SECRETwebhookPath' });
    expectOneLineNaming(webhook, 'HANDOFF_WEBHOOK_URL');
    expect(webhook.message).not.toContain('SECRETwebhookPath');
    const api = configError({ PLATFORM_API_URL: 'ftp://bot:SECRETpassword@platform.example.com', PLATFORM_API_TOKEN: 'token' });
    expectOneLineNaming(api, 'PLATFORM_API_URL');
    expect(api.message).not.toContain('SECRETpassword');
  });
});

describe('cross-field rules', () => {
  it('PLATFORM_API_TIMEOUT_MS is a whole number of milliseconds within bounds', () => {
    expect(loadConfig({ PLATFORM_API_TIMEOUT_MS: ' 1500 ' }).PLATFORM_API_TIMEOUT_MS).toBe(1500);
    for (const bad of ['fast', '2.5', '-1', '50', '600000']) expectOneLineNaming(configError({ PLATFORM_API_TIMEOUT_MS: bad }), 'PLATFORM_API_TIMEOUT_MS');
  });

  it('PLATFORM_API_URL needs PLATFORM_API_TOKEN', () => {
    expectOneLineNaming(configError({ PLATFORM_API_URL: 'https://platform.example.com/api' }), 'PLATFORM_API_TOKEN');
    expect(loadConfig({ PLATFORM_API_URL: 'https://platform.example.com/api', PLATFORM_API_TOKEN: 't' }).PLATFORM_API_URL).toBe(
      'https://platform.example.com/api',
    );
    expect(loadConfig({ PLATFORM_API_TOKEN: 't' }).PLATFORM_API_TOKEN).toBe('t');
  });

  it('STORAGE=azure-blob needs AZURE_STORAGE_CONNECTION_STRING', () => {
    expectOneLineNaming(configError({ STORAGE: 'azure-blob' }), 'AZURE_STORAGE_CONNECTION_STRING');
    expectOneLineNaming(configError({ STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: '  ' }), 'AZURE_STORAGE_CONNECTION_STRING');
    expect(loadConfig({ STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' })).toMatchObject({
      STORAGE: 'azure-blob',
      AZURE_STORAGE_CONTAINER: 'bot-state',
    });
  });

  it('the blob settings are refused with any other storage, which would not read them', () => {
    for (const STORAGE of ['sqlite', 'memory', undefined]) {
      const storage = STORAGE === undefined ? {} : { STORAGE };
      expectOneLineNaming(configError({ ...storage, AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' }), 'AZURE_STORAGE_CONNECTION_STRING');
      expectOneLineNaming(configError({ ...storage, AZURE_STORAGE_CONTAINER: 'bot-state' }), 'AZURE_STORAGE_CONTAINER');
    }
    expect(configError({ AZURE_STORAGE_CONNECTION_STRING: 'AccountKey=SECRET-key' }).message).not.toContain('SECRET');
  });

  it('AZURE_STORAGE_CONTAINER follows Azure\'s rule for container names', () => {
    const blob = { STORAGE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' };
    for (const name of ['Bot-State', 'ab', 'bot--state', '-bot', 'bot-', 'bot_state', 'x'.repeat(64)]) {
      expectOneLineNaming(configError({ ...blob, AZURE_STORAGE_CONTAINER: name }), 'AZURE_STORAGE_CONTAINER');
    }
    for (const name of ['abc', 'gallery-bot-state-2', 'x'.repeat(63)]) expect(loadConfig({ ...blob, AZURE_STORAGE_CONTAINER: name }).AZURE_STORAGE_CONTAINER).toBe(name);
  });

  it('the helpdesk variables: a format or a key without HANDOFF_WEBHOOK_URL would be read by nothing', () => {
    expectOneLineNaming(configError({ HANDOFF_API_KEY: 'SECRET-key' }), 'HANDOFF_API_KEY');
    expect(configError({ HANDOFF_API_KEY: 'SECRET-key' }).message).not.toContain('SECRET');
    expectOneLineNaming(configError({ HANDOFF_FORMAT: 'freshdesk' }), 'HANDOFF_WEBHOOK_URL');
    expectOneLineNaming(configError({ HANDOFF_FORMAT: 'zendesk' }), 'HANDOFF_WEBHOOK_URL');
    expect(loadConfig({ HANDOFF_WEBHOOK_URL: 'https://hooks.example.com/gallery?team=1' })).toMatchObject({ HANDOFF_FORMAT: 'generic', HANDOFF_WEBHOOK_URL: 'https://hooks.example.com/gallery?team=1' });
    expect(loadConfig({ HANDOFF_WEBHOOK_URL: 'https://hooks.example.com/gallery', HANDOFF_API_KEY: 'k' }).HANDOFF_API_KEY).toBe('k');
  });

  it('Freshdesk and Zendesk take their base URL and need a key, Zendesk\'s written as Zendesk documents it', () => {
    expectOneLineNaming(configError({ HANDOFF_FORMAT: 'freshdesk', HANDOFF_WEBHOOK_URL: 'https://example.freshdesk.com' }), 'HANDOFF_API_KEY');
    expectOneLineNaming(configError({ HANDOFF_FORMAT: 'freshdesk', HANDOFF_WEBHOOK_URL: 'https://example.freshdesk.com/api/v2/tickets', HANDOFF_API_KEY: 'k' }), 'HANDOFF_WEBHOOK_URL');
    for (const key of ['SECRET-token-only', 'agent@example.com:SECRET-password', 'agent@example.com/token:']) {
      const error = configError({ HANDOFF_FORMAT: 'zendesk', HANDOFF_WEBHOOK_URL: 'https://example.zendesk.com', HANDOFF_API_KEY: key });
      expectOneLineNaming(error, 'HANDOFF_API_KEY');
      expect(error.message).toContain('agent@example.com/token:API_TOKEN');
      expect(error.message).not.toContain('SECRET');
    }
    expect(loadConfig({ HANDOFF_FORMAT: 'freshdesk', HANDOFF_WEBHOOK_URL: 'https://example.freshdesk.com/', HANDOFF_API_KEY: 'k' }).HANDOFF_FORMAT).toBe('freshdesk');
    expect(loadConfig({ HANDOFF_FORMAT: 'zendesk', HANDOFF_WEBHOOK_URL: 'https://example.zendesk.com', HANDOFF_API_KEY: 'agent@example.com/token:abc' }).HANDOFF_FORMAT).toBe('zendesk');
  });

  it('SUPPORT_HOURS is weekdays, hours and a time zone; a wrong one is named in one line', () => {
    expect(loadConfig({ SUPPORT_HOURS: ' Mon-Fri 09:00-17:00  Europe/Berlin ' }).SUPPORT_HOURS).toEqual({
      spans: [{ days: [1, 2, 3, 4, 5], opens: 540, closes: 1020 }],
      timeZone: 'Europe/Berlin',
      text: 'Mon-Fri 09:00-17:00 Europe/Berlin',
    });
    expect(loadConfig({ SUPPORT_HOURS: '' }).SUPPORT_HOURS).toBeUndefined();
    for (const [value, reason] of [
      ['Mon-Fri 09:00-17:00 Europe/Berln', '"Europe/Berln" is not a time zone'],
      ['weekdays 9 to 5', '"5" is not a time zone'],
      ['weekdays 9-17 UTC', '"weekdays 9-17" is not weekdays and hours'],
      ['Mon-Fri 18:00-08:00 UTC', 'closes before it opens'],
    ] as const) {
      const error = configError({ SUPPORT_HOURS: value });
      expectOneLineNaming(error, 'SUPPORT_HOURS');
      expect(error.message).toContain(reason);
      expect(error.message).toContain(`(got "${value}")`);
    }
  });

  it('MicrosoftAppId needs MicrosoftAppPassword unless MicrosoftAppType=UserAssignedMSI', () => {
    expectOneLineNaming(configError({ MicrosoftAppId: 'app' }), 'MicrosoftAppPassword');
    expectOneLineNaming(configError({ MicrosoftAppId: 'app', MicrosoftAppType: 'MultiTenant' }), 'MicrosoftAppPassword');
    expect(loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw' }).MicrosoftAppType).toBeUndefined();
    expect(loadConfig({ MicrosoftAppId: 'app', MicrosoftAppType: 'UserAssignedMSI' }).MicrosoftAppPassword).toBeUndefined();
  });

  it('MicrosoftAppType=SingleTenant needs MicrosoftAppTenantId', () => {
    expectOneLineNaming(configError({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MicrosoftAppType: 'SingleTenant' }), 'MicrosoftAppTenantId');
    expect(
      loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: 'tenant' }),
    ).toMatchObject({ MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: 'tenant' });
  });
});

describe('.env.example', () => {
  const text = readFileSync(join(projectRoot(), '.env.example'), 'utf8');
  /** Every `NAME=` line, commented out or not. */
  const documented = [...text.matchAll(/^#?\s*([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((match) => match[1]!);

  it('the schema holds exactly the variables of the design', () => {
    expect(schemaVariables()).toEqual([...DESIGN_VARIABLES].sort());
  });

  it('documents exactly the variables of the config schema, each once', () => {
    expect([...documented].sort()).toEqual(schemaVariables());
  });

  it('as a .env, starts the bot with exactly the defaults', () => {
    expect(loadConfig(parseEnv(text))).toStrictEqual(DESIGN_DEFAULTS);
  });
});
