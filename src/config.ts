import { z } from 'zod';
import { parseSupportHours } from './domain/supportHours.js';
import { LOCALE_PATTERN } from './language/languages.js';

/**
 * The bot's configuration: exactly the variables of the design's configuration table,
 * read from the environment and validated once at start-up. A wrong value stops the
 * start with one line that names the variable.
 */

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** One of a few words; empty counts as unset, like every other variable. */
function choice<const T extends readonly [string, ...string[]]>(values: T) {
  return optionalText.pipe(z.enum(values).optional());
}

/** An IP address or a host name to listen on. */
const host = optionalText.pipe(
  z
    .string()
    .regex(/^(\[?[0-9a-f:.]+\]?|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*)$/i, 'expected an IP address or a host name')
    .optional(),
);

const LOOPBACK = '127.0.0.1';
const ALL_INTERFACES = '0.0.0.0';

/** An address only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare) || /^::ffff:127(\.\d{1,3}){3}$/.test(bare);
}

const port = optionalText.pipe(
  z
    .string()
    .regex(/^\d{1,5}$/, 'expected a port number from 0 to 65535')
    .transform(Number)
    .refine((value) => value <= 65535, 'expected a port number from 0 to 65535')
    .optional(),
);

/** A whole number within bounds, e.g. milliseconds or days. */
function wholeNumber(min: number, max: number, unit: string) {
  return optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, `expected a whole number of ${unit}`)
      .transform(Number)
      .refine((value) => value >= min && value <= max, `expected ${min} to ${max} ${unit}`)
      .optional(),
  );
}
/**
 * Shop origins (scheme, host and port, no path) that may embed the widget and call the
 * Direct Line endpoints: a comma- or space-separated list. Unset: only the bot's own origin.
 */
const origins = optionalText.transform((value, ctx) => {
  const list = (value ?? '').split(/[\s,]+/).filter((item) => item !== '');
  for (const item of list) {
    let origin: string | null = null;
    try {
      const url = new URL(item);
      if (url.protocol === 'http:' || url.protocol === 'https:') origin = url.origin;
    } catch {
      origin = null;
    }
    if (origin !== item.replace(/\/$/, '')) {
      ctx.addIssue({ code: 'custom', message: `expected origins such as https://shop.example.com, got "${item}"` });
      return z.NEVER;
    }
  }
  return list.map((item) => item.replace(/\/$/, ''));
});

/** When people answer, e.g. `Mon-Fri 09:00-17:00 Europe/Berlin`; unset: customers are not told a time. */
const supportHours = optionalText.transform((value, ctx) => {
  if (value === undefined) return undefined;
  const parsed = parseSupportHours(value);
  if (parsed.ok) return parsed.hours;
  ctx.addIssue({ code: 'custom', message: parsed.reason });
  return z.NEVER;
});

const configSchema = z
  .object({
    PORT: port.transform((value) => value ?? 3978),
    HOST: host,
    PLATFORM_DATA: optionalText,
    PLATFORM_API_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    PLATFORM_API_TOKEN: optionalText,
    PLATFORM_API_TIMEOUT_MS: wholeNumber(100, 60_000, 'milliseconds').transform((value) => value ?? 3000),
    STORAGE: choice(['sqlite', 'azure-blob', 'memory']).transform((value) => value ?? 'sqlite'),
    STORAGE_PATH: optionalText.default('./data/bot.sqlite'),
    AZURE_STORAGE_CONNECTION_STRING: optionalText,
    // Azure's rule for container names, checked here rather than at the first turn.
    AZURE_STORAGE_CONTAINER: optionalText.pipe(
      z
        .string()
        .regex(/^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/, 'expected 3-63 lower-case letters, digits and single hyphens, such as bot-state')
        .optional(),
    ),
    HANDOFF_FORMAT: choice(['freshdesk', 'zendesk', 'generic']).transform((value) => value ?? 'generic'),
    HANDOFF_WEBHOOK_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    HANDOFF_API_KEY: optionalText,
    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppType: choice(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']),
    MicrosoftAppTenantId: optionalText,
    DIRECTLINE_SECRET: optionalText.pipe(z.string().min(32, 'expected at least 32 characters').optional()),
    WIDGET_ORIGINS: origins,
    // Compared with what an admin sends; long enough that guessing it within the rate limit is hopeless.
    ADMIN_TOKEN: optionalText.pipe(z.string().min(32, 'expected at least 32 characters').optional()),
    RETENTION_DAYS: wholeNumber(1, 3650, 'days').transform((value) => value ?? 30),
    SUPPORT_HOURS: supportHours,
    DEFAULT_LOCALE: optionalText
      .default('en-US')
      .pipe(z.string().regex(LOCALE_PATTERN, 'expected a locale such as en-US or de-DE')),
    LOG_LEVEL: choice(['debug', 'info', 'warn', 'error', 'silent']).transform((value) => value ?? 'info'),
  })
  .superRefine((config, ctx) => {
    if (config.PLATFORM_API_URL !== undefined && config.PLATFORM_API_TOKEN === undefined) {
      ctx.addIssue({ code: 'custom', path: ['PLATFORM_API_TOKEN'], message: 'is required when PLATFORM_API_URL is set' });
    }
    if (config.HANDOFF_WEBHOOK_URL === undefined) {
      // Without a helpdesk cases stay in the outbox: a format or a key would be read by nothing.
      if (config.HANDOFF_API_KEY !== undefined) ctx.addIssue({ code: 'custom', path: ['HANDOFF_API_KEY'], message: 'is only used with HANDOFF_WEBHOOK_URL; set both or neither' });
      else if (config.HANDOFF_FORMAT !== 'generic') ctx.addIssue({ code: 'custom', path: ['HANDOFF_WEBHOOK_URL'], message: `is required when HANDOFF_FORMAT=${config.HANDOFF_FORMAT}` });
    } else if (config.HANDOFF_FORMAT !== 'generic') {
      const url = new URL(config.HANDOFF_WEBHOOK_URL);
      if (url.pathname.replace(/\/+$/, '') !== '' || url.search !== '') {
        ctx.addIssue({ code: 'custom', path: ['HANDOFF_WEBHOOK_URL'], message: `expected the helpdesk's base URL without a path, such as https://example.${config.HANDOFF_FORMAT}.com` });
      } else if (config.HANDOFF_API_KEY === undefined) {
        ctx.addIssue({ code: 'custom', path: ['HANDOFF_API_KEY'], message: `is required when HANDOFF_FORMAT=${config.HANDOFF_FORMAT}` });
      } else if (config.HANDOFF_FORMAT === 'zendesk' && !/^[^\s/:]+@[^\s/:]+\/token:\S+$/.test(config.HANDOFF_API_KEY)) {
        ctx.addIssue({ code: 'custom', path: ['HANDOFF_API_KEY'], message: 'expected the Zendesk API token as Zendesk writes it: agent@example.com/token:API_TOKEN' });
      }
    }
    if (config.STORAGE === 'azure-blob' && config.AZURE_STORAGE_CONNECTION_STRING === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['AZURE_STORAGE_CONNECTION_STRING'],
        message: 'is required when STORAGE=azure-blob',
      });
    }
    if (config.STORAGE !== 'azure-blob') {
      // Blob settings with another storage would be read by nothing.
      for (const name of ['AZURE_STORAGE_CONNECTION_STRING', 'AZURE_STORAGE_CONTAINER'] as const) {
        if (config[name] !== undefined) ctx.addIssue({ code: 'custom', path: [name], message: `is only used with STORAGE=azure-blob (STORAGE is ${config.STORAGE})` });
      }
    }
    if (config.MicrosoftAppId !== undefined && config.MicrosoftAppType !== 'UserAssignedMSI' && config.MicrosoftAppPassword === undefined) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppPassword'], message: 'is required when MicrosoftAppId is set' });
    }
    if (config.MicrosoftAppType === 'SingleTenant' && config.MicrosoftAppTenantId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppTenantId'], message: 'is required when MicrosoftAppType=SingleTenant' });
    }
  })
  // Local mode accepts every request unauthenticated, so by default it listens on this machine only.
  .transform(({ HOST, AZURE_STORAGE_CONTAINER, ...config }) => ({
    ...config,
    AZURE_STORAGE_CONTAINER: AZURE_STORAGE_CONTAINER ?? 'bot-state',
    HOST: HOST ?? (config.MicrosoftAppId === undefined ? LOOPBACK : ALL_INTERFACES),
  }));

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const SECRET_VARIABLE = /PASSWORD|TOKEN|SECRET|KEY|CONNECTION/i;

/** Just where a URL points: webhook paths and user:password@ often are the secret. */
function urlOrigin(value: string): string {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}${url.pathname.length > 1 || url.search !== '' ? '/…' : ''}`;
  } catch {
    const [first = ''] = value.split('/');
    return first.replace(/^.*@/, '…@') + (value.includes('/') ? '/…' : '');
  }
}

/** The value an error may repeat to help the fix: never a secret, only the origin of a URL. */
function shownValue(variable: string, value: string | undefined): string | null {
  if (typeof value !== 'string' || value.trim() === '' || SECRET_VARIABLE.test(variable)) return null;
  return variable.endsWith('_URL') ? urlOrigin(value.trim()) : value;
}

/** Validates the environment; throws a ConfigError whose message is one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const variable = issue?.path.join('.') ?? 'configuration';
  const shown = shownValue(variable, env[variable]);
  throw new ConfigError(`Invalid configuration: ${variable}${shown === null ? '' : ` (got "${shown}")`}: ${issue?.message ?? 'invalid value'}`);
}

/** Bot Framework credentials are set: every request to /api/messages must carry a valid token. */
export function channelAuthenticationEnabled(config: Config): boolean {
  return config.MicrosoftAppId !== undefined;
}
