import { z } from 'zod';

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

const port = optionalText.pipe(
  z
    .string()
    .regex(/^\d{1,5}$/, 'expected a port number from 0 to 65535')
    .transform(Number)
    .refine((value) => value <= 65535, 'expected a port number from 0 to 65535')
    .optional(),
);

const configSchema = z
  .object({
    PORT: port.transform((value) => value ?? 3978),
    HOST: optionalText.default('0.0.0.0'),
    PLATFORM_DATA: optionalText,
    PLATFORM_API_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    PLATFORM_API_TOKEN: optionalText,
    STORAGE: z.enum(['sqlite', 'azure-blob', 'memory']).default('sqlite'),
    STORAGE_PATH: optionalText.default('./data/bot.sqlite'),
    AZURE_STORAGE_CONNECTION_STRING: optionalText,
    AZURE_STORAGE_CONTAINER: optionalText.default('bot-state'),
    HANDOFF_FORMAT: z.enum(['freshdesk', 'zendesk', 'generic']).default('generic'),
    HANDOFF_WEBHOOK_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    HANDOFF_API_KEY: optionalText,
    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
    MicrosoftAppTenantId: optionalText,
    DIRECTLINE_SECRET: optionalText,
    SLACK_BOT_TOKEN: optionalText,
    SLACK_SIGNING_SECRET: optionalText,
    DEFAULT_LOCALE: optionalText
      .default('en-US')
      .pipe(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a locale such as en-US or de-DE')),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  })
  .superRefine((config, ctx) => {
    if (config.PLATFORM_API_URL !== undefined && config.PLATFORM_API_TOKEN === undefined) {
      ctx.addIssue({ code: 'custom', path: ['PLATFORM_API_TOKEN'], message: 'is required when PLATFORM_API_URL is set' });
    }
    if (config.STORAGE === 'azure-blob' && config.AZURE_STORAGE_CONNECTION_STRING === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['AZURE_STORAGE_CONNECTION_STRING'],
        message: 'is required when STORAGE=azure-blob',
      });
    }
    if (config.MicrosoftAppId !== undefined && config.MicrosoftAppType !== 'UserAssignedMSI' && config.MicrosoftAppPassword === undefined) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppPassword'], message: 'is required when MicrosoftAppId is set' });
    }
    if (config.MicrosoftAppType === 'SingleTenant' && config.MicrosoftAppTenantId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppTenantId'], message: 'is required when MicrosoftAppType=SingleTenant' });
    }
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Validates the environment; throws a ConfigError whose message is one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const variable = issue?.path.join('.') ?? 'configuration';
  const shown = typeof env[variable] === 'string' && !/PASSWORD|TOKEN|SECRET|KEY|CONNECTION/i.test(variable) ? ` (got "${env[variable]}")` : '';
  throw new ConfigError(`Invalid configuration: ${variable}${shown}: ${issue?.message ?? 'invalid value'}`);
}

/** Bot Framework credentials are set: every request to /api/messages must carry a valid token. */
export function channelAuthenticationEnabled(config: Config): boolean {
  return config.MicrosoftAppId !== undefined;
}
