import pino from 'pino';

/**
 * Structured JSON logs, one object per line, written by pino. The rest of the code sees
 * only this small interface (`logger.info(message, fields)`), so the library stays in
 * this file.
 *
 * Log calls pass facts (ids, channel, scenario), never message text, and whatever might
 * still slip in is redacted by path: access codes, tokens and secrets, e-mail addresses
 * and message text, at the top level and one object down (`{ activity: { text } }`).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

/** Field names whose values never reach a log line. */
const REDACTED_FIELDS = [
  'password',
  'secret',
  'token',
  'apiKey',
  'api_key',
  'authorization',
  'Authorization',
  'accessCode',
  'access_code',
  'connectionString',
  'email',
  'text',
  'transcript',
  'cookie',
];

export const REDACTED_PATHS: readonly string[] = [
  ...REDACTED_FIELDS,
  ...REDACTED_FIELDS.map((field) => `*.${field}`),
  'headers.authorization',
  'req.headers.authorization',
  'headers["idempotency-key"]',
];

function wrap(instance: pino.Logger): Logger {
  return {
    debug: (message, fields) => instance.debug(fields ?? {}, message),
    info: (message, fields) => instance.info(fields ?? {}, message),
    warn: (message, fields) => instance.warn(fields ?? {}, message),
    error: (message, fields) => instance.error(fields ?? {}, message),
    child: (fields) => wrap(instance.child(fields)),
  };
}

/**
 * A logger at `level`; lines go to `write` (default: stdout, synchronously, so nothing is
 * lost when the process exits right after a line).
 */
export function createLogger(level: LogLevel, write?: (line: string) => void, base: LogFields = {}): Logger {
  const destination = write === undefined ? pino.destination({ dest: 1, sync: true }) : { write: (chunk: string) => write(chunk.replace(/\n$/, '')) };
  const instance = pino(
    {
      level,
      base: null,
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { error: pino.stdSerializers.err, err: pino.stdSerializers.err },
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    },
    destination,
  );
  return wrap(Object.keys(base).length === 0 ? instance : instance.child(base));
}

export const silentLogger: Logger = createLogger('silent');
