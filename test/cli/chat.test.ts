import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Choice,
  type Session,
  buildConversationUpdate,
  buildMessage,
  colorEnabled,
  demoUsers,
  entityLine,
  formatMarkdown,
  identityFor,
  interpretLine,
  interpretResponse,
  messageForChoice,
  parseOptions,
  postActivity,
  renderReplies,
} from '../../src/cli/chat.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const plain = { color: false, width: 100 };
const entity = {
  type: 'gallery-access/diagnosis',
  role: 'photographer',
  locale: 'de-DE',
  symptom: 'gallery-not-available',
  scenario: 'job-archived',
  secondary: [],
  step: 2,
  steps: 4,
  awaiting: 'archive-date',
};

function session(persona: Parameters<typeof identityFor>[0], user?: string): Session {
  return { identity: identityFor(persona, { random: 'r4nd0m', ...(user ? { user } : {}) }), lang: 'de', conversationId: 'conv-1' };
}

describe('activities per identity', () => {
  it('a customer is a Web Chat user', () => {
    const activity = buildMessage(session('customer'), { text: 'Hallo' }, 'id-1');
    expect(activity).toMatchObject({
      type: 'message',
      id: 'id-1',
      channelId: 'webchat',
      serviceUrl: 'http://127.0.0.1/chat-client',
      deliveryMode: 'expectReplies',
      conversation: { id: 'conv-1' },
      from: { id: 'chat-r4nd0m' },
      recipient: { id: 'bot' },
      locale: 'de-DE',
      text: 'Hallo',
    });
    expect(activity.value).toBeUndefined();
    expect(activity.channelData).toBeUndefined();
  });

  it('a Teams photographer carries the aadObjectId', () => {
    const activity = buildMessage(session('photographer-teams', 'b8d3e6f2-71a4-4c9e-a5d0-2f6b8c3e9d17'), { text: 'hi' }, 'id-2');
    expect(activity.channelId).toBe('msteams');
    expect(activity.from.aadObjectId).toBe('b8d3e6f2-71a4-4c9e-a5d0-2f6b8c3e9d17');
  });

  it('a Slack photographer carries user:team and the Slack event user', () => {
    const activity = buildMessage(session('photographer-slack', 'U05CLAUR3NT'), { text: 'hi' }, 'id-3');
    expect(activity.channelId).toBe('slack');
    expect(activity.from.id).toBe('U05CLAUR3NT:T0CHATDEMO');
    expect(activity.channelData).toMatchObject({ SlackMessage: { event: { user: 'U05CLAUR3NT', text: 'hi' } } });
  });

  it('the Emulator carries no identity, and each language its locale', () => {
    expect(buildMessage(session('emulator'), { text: 'x' }, 'i').channelId).toBe('emulator');
    const fr: Session = { ...session('customer'), lang: 'fr' };
    expect(buildMessage(fr, { text: 'x' }, 'i').locale).toBe('fr-FR');
    expect(buildMessage({ ...fr, lang: 'nl' }, { text: 'x' }, 'i').locale).toBe('nl-NL');
  });

  it('a conversation starts with the user joining', () => {
    const s = session('photographer-slack', 'U07LBR4NDT2');
    const activity = buildConversationUpdate(s, 'id-0');
    expect(activity).toMatchObject({ type: 'conversationUpdate', deliveryMode: 'expectReplies', membersAdded: [{ id: 'U07LBR4NDT2:T0CHATDEMO' }] });
    expect(activity.text).toBeUndefined();
    expect(activity.channelData).toMatchObject({ SlackMessage: { event: { user: 'U07LBR4NDT2' } } });
  });

  it('a card submit sends its value and no text', () => {
    const activity = buildMessage(session('customer'), { value: { choice: 'yes' } }, 'id-4');
    expect(activity.text).toBeUndefined();
    expect(activity.value).toEqual({ choice: 'yes' });
  });

  it('offers the demo photographers of each channel', () => {
    const data: unknown = JSON.parse(readFileSync(`${root}demo/platform.json`, 'utf8'));
    const teams = demoUsers(data, 'msteams');
    const slack = demoUsers(data, 'slack');
    expect(teams.map((user) => user.name)).toContain('Sanne de Vries');
    expect(slack.map((user) => user.name)).not.toContain('Sanne de Vries');
    expect(slack).toContainEqual({ name: 'Megan Carter', userId: 'U06MCARTER9' });
    expect(demoUsers({ photographers: [null, { channels: 'x' }] }, 'slack')).toEqual([]);
    expect(demoUsers('nonsense', 'msteams')).toEqual([]);
  });
});

describe('rendering replies', () => {
  it('shows text, bold and numbered lists, buttons and the entity line', () => {
    const rendered = renderReplies(
      [
        { type: 'typing' },
        {
          type: 'message',
          text: 'Der Job ist **archiviert**.\n\n1. Archiv öffnen\n2. Datum setzen',
          suggestedActions: { actions: [{ type: 'imBack', title: 'Yes, please', value: 'Yes, please' }, { type: 'imBack', title: 'No, thanks', value: 'No, thanks' }] },
          entities: [{ type: 'other' }, entity],
        },
      ],
      plain,
    );
    expect(rendered.lines).toEqual([
      'Bot: Der Job ist archiviert.',
      '     ',
      '     1. Archiv öffnen',
      '     2. Datum setzen',
      '     [1] Yes, please  [2] No, thanks',
      '     scenario job-archived · step 2/4 · waiting for archive-date',
    ]);
    expect(rendered.entity).toEqual(entity);
    expect(rendered.choices.map((choice) => choice.label)).toEqual(['Yes, please', 'No, thanks']);
  });

  it('uses ANSI bold and dim only with color', () => {
    expect(formatMarkdown('a **b** c', { color: true })).toBe('a \u001b[1mb\u001b[22m c');
    expect(formatMarkdown('a **b** c', { color: false })).toBe('a b c');
    const colored = renderReplies([{ type: 'message', text: 'x', entities: [entity] }], { color: true });
    expect(colored.lines.at(-1)).toContain('\u001b[2m');
    expect(colorEnabled({ NO_COLOR: '1' }, { isTTY: true })).toBe(false);
    expect(colorEnabled({}, { isTTY: false })).toBe(false);
    expect(colorEnabled({}, { isTTY: true, hasColors: () => true })).toBe(true);
  });

  it('numbers hero-card and Adaptive Card buttons and describes card inputs', () => {
    const rendered = renderReplies(
      [
        {
          type: 'message',
          attachments: [
            {
              contentType: 'application/vnd.microsoft.card.hero',
              content: { images: [{ url: 'http://x/p.png', alt: 'Code not found' }], buttons: [{ type: 'imBack', title: 'Code not found', value: 'Code not found' }] },
            },
          ],
        },
        {
          type: 'message',
          attachments: [
            {
              contentType: 'application/vnd.microsoft.card.adaptive',
              content: {
                type: 'AdaptiveCard',
                body: [
                  { type: 'TextBlock', text: 'New archive date?' },
                  { type: 'Input.Date', id: 'archiveDate', label: 'Archive date', min: '2026-10-13' },
                  { type: 'Input.ChoiceSet', id: 'campaign', label: 'Campaign', choices: [{ title: 'On', value: 'on' }, { title: 'Off', value: 'off' }] },
                ],
                actions: [
                  { type: 'Action.Submit', title: 'Change it', data: { choice: 'confirm' } },
                  { type: 'Action.Execute', title: 'Cancel', verb: 'cancel' },
                ],
              },
            },
          ],
          entities: [{ ...entity, scenario: null, step: null, steps: null, awaiting: 'confirm' }],
        },
      ],
      plain,
    );
    expect(rendered.lines).toContain('Bot: (picture: Code not found)');
    expect(rendered.lines).toContain('     [1] Code not found');
    expect(rendered.lines).toContain('     Input.Date archiveDate: Archive date (YYYY-MM-DD; from 2026-10-13)');
    expect(rendered.lines).toContain('     Input.ChoiceSet campaign: Campaign (one of 1=On, 2=Off)');
    expect(rendered.lines).toContain('     [2] Change it  [3] Cancel');
    expect(rendered.lines.at(-1)).toBe('     symptom gallery-not-available · scenario not known yet · waiting for confirm');
    expect(rendered.choices).toHaveLength(3);
  });

  it('never throws on odd replies', () => {
    for (const odd of [null, 'text', 42, {}, [null, 1, 'x', { type: 'message' }, { type: 'message', text: 7, attachments: 'no', suggestedActions: { actions: [null, 5] }, entities: 'x' }]]) {
      expect(() => renderReplies(odd, plain)).not.toThrow();
    }
    expect(renderReplies([{ type: 'event', name: 'handoff.initiate' }], plain).lines[0]).toContain('handoff.initiate');
    expect(entityLine({})).toBe('scenario not known yet');
  });
});

describe('typed lines', () => {
  const choices: Choice[] = [
    { label: 'Yes, please', action: { kind: 'message', text: 'Yes, please' } },
    { label: 'Change it', action: { kind: 'submit', data: { choice: 'confirm' }, inputs: [] } },
  ];

  it('a number picks a button; anything else is text; slash words are commands', () => {
    expect(interpretLine(' 1 ', choices)).toMatchObject({ kind: 'choice', index: 1, choice: choices[0] });
    expect(interpretLine('3', choices)).toEqual({ kind: 'text', text: '3' });
    expect(interpretLine('1 photo is missing', choices)).toEqual({ kind: 'text', text: '1 photo is missing' });
    expect(interpretLine('/quit', choices)).toEqual({ kind: 'command', command: 'quit' });
    expect(interpretLine('/restart', choices)).toEqual({ kind: 'command', command: 'restart' });
    expect(interpretLine('/entity', choices)).toEqual({ kind: 'command', command: 'entity' });
    expect(interpretLine('/nope', choices)).toEqual({ kind: 'unknown-command', command: '/nope' });
    expect(interpretLine('   ', choices)).toEqual({ kind: 'empty' });
  });

  it('imBack sends the value as text; an Adaptive Card submit sends its data as value', () => {
    expect(messageForChoice(choices[0]!)).toEqual({ text: 'Yes, please' });
    expect(messageForChoice(choices[1]!)).toEqual({ value: { choice: 'confirm' } });
    expect(messageForChoice(choices[1]!, { archiveDate: '2026-12-20' })).toEqual({ value: { choice: 'confirm', archiveDate: '2026-12-20' } });
    expect(messageForChoice({ label: 'Shop', action: { kind: 'open', url: 'https://shop.example' } })).toBeNull();
  });

  it('maps rendered Adaptive Card actions, Execute included', () => {
    const { choices: rendered } = renderReplies(
      [{ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { actions: [{ type: 'Action.Submit', title: 'Ja', data: { choice: 'yes' } }, { type: 'Action.Execute', title: 'Nein', verb: 'no' }] } }] }],
      plain,
    );
    expect(rendered.map((choice) => messageForChoice(choice))).toEqual([{ value: { choice: 'yes' } }, { value: { verb: 'no' } }]);
  });
});

describe('options and HTTP outcomes', () => {
  it('parses options with defaults and BOT_URL', () => {
    expect(parseOptions([], {})).toEqual({ url: 'http://127.0.0.1:3978', help: false });
    expect(parseOptions([], { BOT_URL: 'http://bot.local:8080/' })).toMatchObject({ url: 'http://bot.local:8080' });
    expect(parseOptions(['--url', 'http://x:1/api/messages', '--lang', 'nl', '--as', 'photographer-slack', '--user', 'U1'], {})).toEqual({
      url: 'http://x:1',
      lang: 'nl',
      as: 'photographer-slack',
      user: 'U1',
      help: false,
    });
    expect(parseOptions(['--lang', 'es'], {})).toHaveProperty('error');
    expect(parseOptions(['--bogus'], {})).toHaveProperty('error');
  });

  it('explains a bot that cannot be reached, a non-200 answer and an odd body', async () => {
    const failing = (() => Promise.reject(new TypeError('fetch failed'))) as typeof fetch;
    const activity = buildMessage(session('customer'), { text: 'x' }, 'i');
    expect(await postActivity('http://127.0.0.1:9', activity, failing)).toEqual({
      kind: 'unreachable',
      message: "Can't reach the bot at http://127.0.0.1:9 — is `npm start` running?",
    });
    expect(interpretResponse(500, 'Internal Server Error', 'kaputt')).toEqual({ kind: 'http-error', message: 'The bot answered 500 Internal Server Error: kaputt' });
    expect(interpretResponse(200, 'OK', '')).toEqual({ kind: 'replies', activities: [] });
    expect(interpretResponse(200, 'OK', '<html>')).toHaveProperty('kind', 'http-error');
    expect(interpretResponse(200, 'OK', '{"activities":[{"type":"message","text":"hi"}]}')).toEqual({ kind: 'replies', activities: [{ type: 'message', text: 'hi' }] });
  });
});

describe('npm run chat against a stand-in bot', () => {
  const received: Record<string, unknown>[] = [];
  let server: Server;
  let url: string;

  const reply = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'message', text, entities: [entity], ...extra });
  const buttons = (...labels: string[]) => ({ suggestedActions: { actions: labels.map((label) => ({ type: 'imBack', title: label, value: label })) } });

  function answer(activity: Record<string, unknown>): { status: number; body: unknown } {
    if (activity.type === 'conversationUpdate') return { status: 200, body: { activities: [reply('Hallo! Was zeigt der **Shop**?', buttons('Code nicht gefunden', 'Galerie nicht verfügbar'))] } };
    if (activity.text === 'boom') return { status: 500, body: 'kaputt' };
    if (activity.text === 'Ja, bitte') return { status: 200, body: { activities: [reply('Erledigt.')] } };
    return { status: 200, body: { activities: [{ type: 'typing' }, reply('Soll ich helfen?\n\n1. Archiv\n2. Datum', buttons('Ja, bitte', 'Nein, danke'))] } };
  }

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      let raw = '';
      request.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      request.on('end', () => {
        const activity = JSON.parse(raw) as Record<string, unknown>;
        received.push({ ...activity, path: request.url });
        const { status, body } = answer(activity);
        response.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
        response.end(typeof body === 'string' ? body : JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('greets, sends typed text and button values, and prints the replies', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/chat.ts', '--url', url, '--lang', 'de', '--as', 'customer'], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', BOT_URL: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.end(['Meine Galerie geht nicht auf', '1', 'boom', '/entity', '/quit', 'never sent'].join('\n') + '\n');
    const code = await exited;

    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(received.map((activity) => [activity.type, activity.text])).toEqual([
      ['conversationUpdate', undefined],
      ['message', 'Meine Galerie geht nicht auf'],
      ['message', 'Ja, bitte'],
      ['message', 'boom'],
    ]);
    const first = received[0]!;
    expect(first).toMatchObject({ path: '/api/messages', channelId: 'webchat', locale: 'de-DE', deliveryMode: 'expectReplies', recipient: { id: 'bot' } });
    expect(first.membersAdded).toEqual([first.from]);
    expect(new Set(received.map((activity) => (activity.conversation as { id: string }).id)).size).toBe(1);
    expect(new Set(received.map((activity) => activity.id)).size).toBe(received.length);
    expect(String((first.from as { id: string }).id)).toMatch(/^chat-/);

    expect(stdout).toContain('Bot: Hallo! Was zeigt der Shop?');
    expect(stdout).toContain('[1] Code nicht gefunden  [2] Galerie nicht verfügbar');
    expect(stdout).toContain('You: Meine Galerie geht nicht auf');
    expect(stdout).toContain('     1. Archiv\n     2. Datum\n     [1] Ja, bitte  [2] Nein, danke');
    expect(stdout).toContain('scenario job-archived · step 2/4 · waiting for archive-date');
    expect(stdout).toContain('Bot: Erledigt.');
    expect(stdout).toContain('The bot answered 500 Internal Server Error: kaputt');
    expect(stdout).toContain('"awaiting": "archive-date"');
    expect(stdout).not.toContain('never sent');
    expect(stdout).not.toContain('\u001b[');
  });
});
