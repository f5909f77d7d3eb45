import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { projectRoot } from '../../src/projectRoot.js';
import { WEBCHAT_BUNDLE } from '../../src/widget/widgetEndpoints.js';

/**
 * Debian's Chromium driven by playwright-core, for the help chat's browser tests. `.ci/run`
 * installs Chromium when it is missing; the Web Chat bundle is copied by `npm install`
 * (postinstall), and again here should it be missing.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(projectRoot(), 'test-artifacts', 'browser');

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does this)`);
  if (!existsSync(WEBCHAT_BUNDLE)) execFileSync(process.execPath, [join(projectRoot(), 'scripts', 'copy-webchat.mjs')]);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/** A page of its own that records every request, WebSocket and CSP violation, to check nothing left the server. */
export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** URLs requested that are not on `origin` (nor data: or this origin's blob:). */
  outside: string[];
  /** Content-Security-Policy violations the page reported. */
  violations(): Promise<string[]>;
  /** Page errors (uncaught exceptions). */
  errors: string[];
  screenshot(name: string): Promise<void>;
}

export async function watchedPage(browser: Browser, origin: string, options: { width: number; height: number; locale: string }): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: options.width, height: options.height }, locale: options.locale });
  // Page-side code is plain JavaScript in strings: the tests' TypeScript has no DOM types.
  await context.addInitScript({
    content: `window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));`,
  });
  const page = await context.newPage();
  const outside: string[] = [];
  const errors: string[] = [];
  const local = (url: string) => url.startsWith(`${origin}/`) || url.startsWith('data:') || url.startsWith(`blob:${origin}/`);
  page.on('request', (request) => {
    if (!local(request.url())) outside.push(request.url());
  });
  page.on('websocket', (socket) => {
    if (!socket.url().startsWith(origin.replace(/^http/, 'ws'))) outside.push(socket.url());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return {
    context,
    page,
    outside,
    errors,
    violations: () => page.evaluate<string[]>('window.__cspViolations'),
    screenshot: async (name) => {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
    },
  };
}

/** Bot bubbles (messages and cards) in the transcript. */
export const BOT_BUBBLES = '.webchat__bubble:not(.webchat__bubble--from-user)';
/** Buttons of cards (the pictures' buttons); Web Chat also renders a hidden twin of each for screen readers. */
export const CARD_BUTTONS = 'button.ac-pushButton:visible';
export const SEND_BOX = 'input.webchat__send-box-text-box__input';

/** Waits until some bot bubble holds `text`. */
export async function waitForBotText(page: Page, text: string, timeoutMs = 60_000): Promise<void> {
  await page.locator(BOT_BUBBLES, { hasText: text }).first().waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Types into the send box and sends with Enter, as a person does. */
export async function typeAndSend(page: Page, text: string): Promise<void> {
  await page.locator(SEND_BOX).click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** Whether the focused element matches a CSS selector. */
export function focusedMatches(page: Page, selector: string): Promise<boolean> {
  return page.evaluate<boolean>(`document.activeElement !== null && document.activeElement.matches(${JSON.stringify(selector)})`);
}

/**
 * Waits until a page expression is true. Polled through page.evaluate: waitForFunction with
 * a string compiles it inside the page, which the page's CSP (no 'unsafe-eval') forbids.
 */
export async function waitUntil(page: Page, expression: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(expression))) {
    if (Date.now() > deadline) throw new Error(`still not true after ${timeoutMs} ms: ${expression}`);
    await new Promise((tick) => setTimeout(tick, 25));
  }
}

/** Waits until the focus is on an element matching `selector`. */
export async function waitForFocus(page: Page, selector: string, timeoutMs = 30_000): Promise<void> {
  await waitUntil(page, `document.activeElement !== null && document.activeElement.matches(${JSON.stringify(selector)})`, timeoutMs);
}

/** How many elements match `selector` now. */
export function countOf(page: Page, selector: string): Promise<number> {
  return page.evaluate<number>(`document.querySelectorAll(${JSON.stringify(selector)}).length`);
}

/** Waits until more than `count` elements match `selector`. */
export async function waitForMoreThan(page: Page, selector: string, count: number, timeoutMs = 30_000): Promise<void> {
  await waitUntil(page, `document.querySelectorAll(${JSON.stringify(selector)}).length > ${count}`, timeoutMs);
}

/** The conversation the widget keeps in this tab's sessionStorage. */
export function widgetSession(page: Page): Promise<{ token?: string; conversationId?: string; watermark?: string; open?: boolean }> {
  return page.evaluate(`(() => {
    const key = Object.keys(sessionStorage).find((name) => name.startsWith('gallery-help-chat:'));
    return key === undefined ? {} : JSON.parse(sessionStorage.getItem(key) || '{}');
  })()`);
}

/** Percentiles of a sorted copy. */
export function percentile(samples: readonly number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}
