import { describe, expect, it } from 'vitest';
import { createLogger, type LogLevel } from '../../src/logger.js';

/** The pino-backed logger behind the project's Logger interface: JSON lines, levels, redaction by path. */

function capture(level: LogLevel = 'debug') {
  const lines: string[] = [];
  const logger = createLogger(level, (line) => lines.push(line));
  return { logger, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('logger', () => {
  it('writes one JSON object per line with time, level and message', () => {
    const { logger, lines, entries } = capture();
    logger.info('listening', { url: 'http://127.0.0.1:1' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    expect(entries()[0]).toMatchObject({ level: 'info', message: 'listening', url: 'http://127.0.0.1:1' });
    expect(Date.parse(String(entries()[0]?.time))).not.toBeNaN();
  });

  it('drops lines below its level, and says nothing when silent', () => {
    const { logger, entries } = capture('warn');
    logger.debug('a');
    logger.info('b');
    logger.warn('c');
    logger.error('d');
    expect(entries().map((entry) => [entry.level, entry.message])).toEqual([
      ['warn', 'c'],
      ['error', 'd'],
    ]);
    const silent = capture('silent');
    silent.logger.error('nothing');
    expect(silent.lines).toEqual([]);
  });

  it('redacts access codes, tokens, secrets, e-mails and message text, at the top and one level down', () => {
    const { logger, lines } = capture();
    logger.warn('turn', {
      accessCode: 'MXR29PLT',
      token: 'tok-123',
      authorization: 'Bearer abc',
      email: 'parent@example.com',
      text: 'my code is MXR2 9PLT',
      activity: { text: 'hello MXR29PLT', from: { id: 'u1' }, email: 'x@example.com' },
      connectionString: 'AccountKey=secret==',
      channel: 'webchat',
    });
    const line = lines.join('\n');
    for (const secret of ['MXR29PLT', 'tok-123', 'Bearer abc', 'parent@example.com', 'MXR2 9PLT', 'x@example.com', 'AccountKey']) expect(line).not.toContain(secret);
    expect(JSON.parse(line)).toMatchObject({ channel: 'webchat', accessCode: '[redacted]', activity: { text: '[redacted]', from: { id: 'u1' } } });
  });

  it('child loggers carry their fields; errors become name, message and stack', () => {
    const { logger, entries } = capture();
    logger.child({ component: 'platform-api' }).error('failed', { error: new TypeError('boom') });
    expect(entries()[0]).toMatchObject({ component: 'platform-api', error: { type: 'TypeError', message: 'boom' } });
    expect(String((entries()[0]?.error as { stack: string }).stack)).toContain('TypeError: boom');
  });
});
