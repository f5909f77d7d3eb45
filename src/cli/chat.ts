/**
 * `npm run chat`: a small terminal client for trying the Gallery Access Assistant. It talks
 * to a running bot over HTTP (`POST <url>/api/messages` with `deliveryMode: "expectReplies"`,
 * so the replies come back in the HTTP response) and pretends to be a customer on Web Chat,
 * a photographer on Teams or Slack, or the Emulator. Only Node built-ins.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface, type Interface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  COMMAND_HELP,
  type Choice,
  DEFAULT_URL,
  type DemoUser,
  type Identity,
  type Lang,
  LANG_NAMES,
  LANGS,
  LOCALES,
  type MessageInput,
  type OutgoingActivity,
  type Persona,
  PERSONA_NAMES,
  PERSONAS,
  type PostOutcome,
  type Session,
  type Style,
  USAGE,
  buildConversationUpdate,
  buildMessage,
  demoUsers,
  describeInput,
  dim,
  identityFor,
  inputAnswer,
  interpretLine,
  interpretResponse,
  isLang,
  isPersona,
  messageForChoice,
  normalizeUrl,
  red,
  renderReplies,
  unreachableMessage,
} from './chatCore.js';

export * from './chatCore.js';

export interface ChatOptions {
  url: string;
  lang?: Lang;
  as?: Persona;
  user?: string;
  help: boolean;
}

/** The command line, or an error message meant for the person who typed it. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv = {}): ChatOptions | { error: string } {
  let values: { url?: string | undefined; lang?: string | undefined; as?: string | undefined; user?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        url: { type: 'string' },
        lang: { type: 'string' },
        as: { type: 'string' },
        user: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  const rawUrl = values.url ?? (env.BOT_URL?.trim() ? env.BOT_URL : DEFAULT_URL);
  let url: string;
  try {
    url = normalizeUrl(rawUrl);
  } catch {
    return { error: `--url: not a valid http URL: ${rawUrl}` };
  }
  if (values.lang !== undefined && !isLang(values.lang.toLowerCase())) return { error: `--lang must be one of ${LANGS.join(', ')} (got "${values.lang}")` };
  if (values.as !== undefined && !isPersona(values.as)) return { error: `--as must be one of ${PERSONAS.join(', ')} (got "${values.as}")` };
  const options: ChatOptions = { url, help: values.help === true };
  if (values.lang !== undefined) options.lang = values.lang.toLowerCase() as Lang;
  if (values.as !== undefined) options.as = values.as as Persona;
  if (values.user !== undefined && values.user.trim() !== '') options.user = values.user.trim();
  return options;
}

/** Color only on a terminal that has it, and never when NO_COLOR is set. */
export function colorEnabled(env: NodeJS.ProcessEnv, stream: { isTTY?: boolean; hasColors?: () => boolean }): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  if (stream.isTTY !== true) return false;
  return typeof stream.hasColors === 'function' ? stream.hasColors() : true;
}

/** POSTs one activity and says what came of it; never throws. */
export async function postActivity(url: string, activity: OutgoingActivity, fetchImpl: typeof fetch = fetch, timeoutMs = 30_000): Promise<PostOutcome> {
  let response: Response;
  try {
    response = await fetchImpl(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      return { kind: 'unreachable', message: `The bot at ${url} didn't answer within ${Math.round(timeoutMs / 1000)} s.` };
    }
    return { kind: 'unreachable', message: unreachableMessage(url) };
  }
  let body = '';
  try {
    body = await response.text();
  } catch {
    body = '(the body could not be read)';
  }
  return interpretResponse(response.status, response.statusText, body);
}

/** The Teams and Slack users of the demo data (or of PLATFORM_DATA when set). */
export function loadDemoUsers(channel: 'msteams' | 'slack', env: NodeJS.ProcessEnv = process.env): DemoUser[] {
  const file = env.PLATFORM_DATA?.trim() ? resolve(env.PLATFORM_DATA) : fileURLToPath(new URL('../../demo/platform.json', import.meta.url));
  try {
    return demoUsers(JSON.parse(readFileSync(file, 'utf8')), channel);
  } catch {
    return [];
  }
}

/**
 * Lines from stdin, queued: piped input arrives all at once, long before the client asks
 * for it, and a typed line must not get lost while a reply is on its way.
 */
class LineReader {
  private readonly queue: string[] = [];
  private waiting: ((line: string | null) => void) | null = null;
  private closed = false;
  readonly rl: Interface;

  constructor(
    input: NodeJS.ReadableStream,
    private readonly output: NodeJS.WritableStream,
    private readonly tty: boolean,
  ) {
    this.rl = createInterface({ input, ...(tty ? { output, terminal: true } : { terminal: false }) });
    this.rl.on('line', (line) => {
      if (this.waiting) {
        const resolveLine = this.waiting;
        this.waiting = null;
        resolveLine(line);
      } else {
        this.queue.push(line);
      }
    });
    this.rl.on('close', () => {
      this.closed = true;
      this.waiting?.(null);
      this.waiting = null;
    });
    this.rl.on('SIGINT', () => this.rl.close());
  }

  /** The next line, or null at the end of input (Ctrl-D, Ctrl-C, end of the pipe). */
  async next(prompt: string): Promise<string | null> {
    if (this.tty && !this.closed) {
      this.rl.setPrompt(prompt);
      this.rl.prompt();
    }
    const queued = this.queue.shift();
    const line = queued !== undefined ? queued : this.closed ? null : await new Promise<string | null>((done) => (this.waiting = done));
    // Piped input is not echoed by anyone: show it, so the transcript reads like a chat.
    if (!this.tty && line !== null) this.output.write(`${prompt}${line}\n`);
    return line;
  }

  close(): void {
    this.rl.close();
  }
}

async function askChoice<T>(reader: LineReader, out: (line: string) => void, question: string, options: { label: string; value: T }[]): Promise<T | null> {
  out(question);
  options.forEach((option, index) => out(`  [${index + 1}] ${option.label}`));
  for (;;) {
    const answer = await reader.next(`Choose 1-${options.length} [1]: `);
    if (answer === null) return null;
    const trimmed = answer.trim();
    const index = trimmed === '' ? 1 : Number(trimmed);
    const option = Number.isInteger(index) ? options[index - 1] : undefined;
    if (option !== undefined) return option.value;
    out(`Please type a number from 1 to ${options.length}.`);
  }
}

async function chooseUser(reader: LineReader, out: (line: string) => void, persona: Persona, tty: boolean): Promise<{ user?: string; name?: string } | null> {
  if (persona !== 'photographer-teams' && persona !== 'photographer-slack') return {};
  const channel = persona === 'photographer-teams' ? 'msteams' : 'slack';
  const platform = channel === 'msteams' ? 'Teams' : 'Slack';
  const demo = loadDemoUsers(channel);
  if (!tty) return demo[0] !== undefined ? { user: demo[0].userId, name: demo[0].name } : {};
  const options: { label: string; value: { user?: string; name?: string } }[] = [
    ...demo.map((person) => ({ label: `${person.name} (${platform} ${person.userId})`, value: { user: person.userId, name: person.name } })),
    { label: `an unlinked ${platform} user (not a photographer on the platform)`, value: {} },
  ];
  return askChoice(reader, out, `Which ${platform} user are you?`, options);
}

export interface ChatIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean; hasColors?: () => boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
}

/** The whole session; resolves with the exit code. */
export async function runChat(argv: readonly string[], io: ChatIo): Promise<number> {
  const out = (line: string) => void io.stdout.write(`${line}\n`);
  const options = parseOptions(argv, io.env);
  if ('error' in options) {
    out(`${options.error}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    out(`${USAGE}\n\n${COMMAND_HELP}`);
    return 0;
  }
  const tty = io.stdin.isTTY === true;
  const style: Style = { color: colorEnabled(io.env, io.stdout), width: io.stdout.columns ?? 100 };
  const reader = new LineReader(io.stdin, io.stdout, tty);
  try {
    const lang =
      options.lang ??
      (tty ? await askChoice(reader, out, 'Which language?', LANGS.map((value) => ({ label: `${LANG_NAMES[value]} (${LOCALES[value]})`, value }))) : 'en');
    if (lang === null) return 0;
    const persona =
      options.as ?? (tty ? await askChoice(reader, out, 'Who are you?', PERSONAS.map((value) => ({ label: PERSONA_NAMES[value], value }))) : 'customer');
    if (persona === null) return 0;
    const chosen = options.user !== undefined ? { user: options.user } : await chooseUser(reader, out, persona, tty);
    if (chosen === null) return 0;
    const identity: Identity = identityFor(persona, chosen);

    const session: Session = { identity, lang, conversationId: `chat-${randomUUID()}` };
    let choices: Choice[] = [];
    let entity: Record<string, unknown> | null = null;

    const send = async (activity: OutgoingActivity) => {
      const outcome = await postActivity(options.url, activity, io.fetch ?? fetch);
      if (outcome.kind !== 'replies') {
        out(red(style, outcome.message));
        return;
      }
      const rendered = renderReplies(outcome.activities, style);
      if (rendered.lines.length === 0) out(dim(style, '(no reply)'));
      for (const line of rendered.lines) out(line);
      choices = rendered.choices;
      if (rendered.entity !== null) entity = rendered.entity;
    };
    const start = async () => {
      choices = [];
      entity = null;
      await send(buildConversationUpdate(session, randomUUID()));
    };
    const sendMessage = (input: MessageInput) => send(buildMessage(session, input, randomUUID()));

    out(dim(style, `Talking to ${options.url} as ${identity.description}, in ${LANG_NAMES[lang]} (${LOCALES[lang]}). /help for commands, /quit to leave.`));
    await start();

    for (;;) {
      const line = await reader.next('You: ');
      if (line === null) break;
      const meaning = interpretLine(line, choices);
      if (meaning.kind === 'empty') continue;
      if (meaning.kind === 'unknown-command') {
        out(`Unknown command ${meaning.command}. ${COMMAND_HELP}`);
        continue;
      }
      if (meaning.kind === 'command') {
        if (meaning.command === 'quit') break;
        if (meaning.command === 'help') out(COMMAND_HELP);
        if (meaning.command === 'entity') out(entity === null ? 'No diagnosis entity yet.' : JSON.stringify(entity, null, 2));
        if (meaning.command === 'restart') {
          session.conversationId = `chat-${randomUUID()}`;
          out(dim(style, `New conversation ${session.conversationId}.`));
          await start();
        }
        continue;
      }
      if (meaning.kind === 'text') {
        await sendMessage({ text: meaning.text });
        continue;
      }
      const { choice } = meaning;
      if (choice.action.kind === 'open') {
        out(`Open ${choice.action.url} in your browser.`);
        continue;
      }
      const answers: Record<string, string> = {};
      if (choice.action.kind === 'submit') {
        for (const input of choice.action.inputs) {
          out(dim(style, describeInput(input)));
          const answer = await reader.next(`  ${input.label}: `);
          if (answer === null) return 0;
          answers[input.id] = inputAnswer(input, answer);
        }
      }
      const message = messageForChoice(choice, answers);
      if (message === null) {
        out(`"${choice.label}" sends nothing here.`);
        continue;
      }
      await sendMessage(message);
    }
    return 0;
  } finally {
    reader.close();
    out(dim(style, 'Bye.'));
  }
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  runChat(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`chat: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
