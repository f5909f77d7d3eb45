import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/language/messages.js';
import { startTestBot, type TestBot } from '../support/botServer.js';
import { DEMO_CODES } from '../support/demoCodes.js';
import {
  ARTIFACTS,
  BOT_BUBBLES,
  CARD_BUTTONS,
  countOf,
  focusedMatches,
  launchBrowser,
  percentile,
  SEND_BOX,
  typeAndSend,
  waitForBotText,
  waitForFocus,
  waitForMoreThan,
  type WatchedPage,
  watchedPage,
  widgetSession,
} from '../support/browser.js';

/**
 * The help chat as a parent meets it: the demo shop page in Chromium, the widget's
 * launcher, Web Chat over the bot's own Direct Line. At phone width and on a desktop,
 * by mouse and by keyboard alone, across a reload; screenshots go to test-artifacts/browser.
 * Every test checks that nothing was fetched from anywhere but this server and that the
 * page's Content-Security-Policy was never violated.
 */

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };

let bot: TestBot;
let browser: Browser;
const pages: WatchedPage[] = [];

beforeAll(async () => {
  bot = await startTestBot({ DIRECTLINE_SECRET: 'browser-test-directline-secret-0123456789' });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  for (const watched of pages) await watched.context.close();
  await browser?.close();
  await bot?.stop();
});

async function open(options: { width: number; height: number; locale: string }): Promise<WatchedPage> {
  const watched = await watchedPage(browser, bot.url, options);
  pages.push(watched);
  await watched.page.goto(`${bot.url}/`);
  return watched;
}

async function expectOnlyThisServer(watched: WatchedPage): Promise<void> {
  expect(watched.outside).toEqual([]);
  expect(await watched.violations()).toEqual([]);
  expect(watched.errors).toEqual([]);
}

/** A sentence as Web Chat shows it: its Markdown renderer turns straight apostrophes into typographic ones. */
function shown(text: string): string {
  return text.replace(/'/g, '’');
}

function en(key: Parameters<typeof translate>[1]): string {
  return shown(translate('en', key));
}

function de(key: Parameters<typeof translate>[1]): string {
  return shown(translate('de', key));
}

describe('the help chat widget in Chromium', () => {
  it('at 360 px: opens from the launcher, shows the three screens as pictures, takes the picked one and a typed code, and diagnoses', async () => {
    const watched = await open({ ...PHONE, locale: 'en-US' });
    const { page } = watched;
    await watched.screenshot('phone-1-shop');
    const launcher = page.locator('.ghc-launcher');
    await expect(launcher.getAttribute('aria-expanded')).resolves.toBe('false');
    await page.getByRole('button', { name: 'Open the help chat' }).click();
    await expect(launcher.getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(page.getByRole('dialog', { name: 'Help with your gallery' }).isVisible()).resolves.toBe(true);

    await waitForBotText(page, en('symptom.question'));
    // The three shop screens, each a picture with its alt text and a button under it.
    for (const symptom of ['almost-ready', 'incorrect-code', 'missed-sale'] as const) {
      const picture = page.locator(`img.ac-image[alt="${en(`shop.alt.${symptom}`)}"]`).first();
      await picture.waitFor({ state: 'visible', timeout: 30_000 });
      expect(await picture.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    }
    // At phone width the chat fills the screen and nothing sticks out sideways.
    const panel = await page.locator('#ghc-panel').boundingBox();
    expect(panel).toMatchObject({ x: 0, width: PHONE.width });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    const overflowing = await page.evaluate<number>(
      `[...document.querySelectorAll(${JSON.stringify(BOT_BUBBLES)})].filter((bubble) => bubble.getBoundingClientRect().right > ${PHONE.width + 1}).length`,
    );
    expect(overflowing).toBe(0);
    await watched.screenshot('phone-2-pictures');

    await page.locator(CARD_BUTTONS, { hasText: en('symptom.choice.almost-ready') }).click();
    await waitForBotText(page, en('symptom.ack.almost-ready'));
    await typeAndSend(page, DEMO_CODES['job-in-planning']);
    await waitForBotText(page, shown("hasn't opened the gallery for ordering yet"));
    await page.locator('.webchat__suggested-action:visible', { hasText: en('notify.yes') }).waitFor();
    await watched.screenshot('phone-3-diagnosis');
    await expectOnlyThisServer(watched);
  }, 180_000);

  it('a whole German conversation by keyboard alone, the page and the chat in the browser’s language', async () => {
    const watched = await open({ ...DESKTOP, locale: 'de-DE' });
    const { page } = watched;
    await expect(page.evaluate<string>('document.documentElement.lang')).resolves.toBe('de');
    // Tab through the shop page to the launcher, as a keyboard user does.
    let onLauncher = false;
    for (let presses = 0; presses < 10 && !onLauncher; presses += 1) {
      await page.keyboard.press('Tab');
      onLauncher = await focusedMatches(page, '.ghc-launcher');
    }
    expect(onLauncher).toBe(true);
    await expect(page.locator('.ghc-launcher').getAttribute('aria-label')).resolves.toBe('Hilfe-Chat öffnen');
    await page.keyboard.press('Enter');

    await waitForBotText(page, de('symptom.question'));
    // Opening the chat puts the keyboard in its send box.
    await waitForFocus(page, SEND_BOX);
    await watched.screenshot('desktop-de-1-greeting');

    await page.keyboard.type('Da steht, meine Fotos sind fast fertig');
    await page.keyboard.press('Enter');
    await waitForBotText(page, de('symptom.ack.almost-ready'));
    await page.keyboard.type('kdg4 77qp');
    await page.keyboard.press('Enter');
    await waitForBotText(page, 'noch nicht für Bestellungen geöffnet');
    // Both buttons shown and the keyboard back in the send box: on a busy machine the second
    // reply (the question and its buttons) can still be on its way.
    for (const label of [de('notify.yes'), de('notify.no')]) await page.locator('.webchat__suggested-action:visible', { hasText: label }).waitFor();
    await waitForFocus(page, SEND_BOX);

    // The suggested actions are one Shift+Tab above the send box; Enter presses one.
    await page.keyboard.press('Shift+Tab');
    await expect(page.evaluate<string>("document.activeElement ? document.activeElement.textContent : ''")).resolves.toBe(de('notify.yes'));
    await page.keyboard.press('Enter');
    await waitForBotText(page, de('feedback.question'));
    // Pressing the button left the keyboard in the send box again.
    await waitForFocus(page, SEND_BOX);
    await page.keyboard.type('ja');
    await page.keyboard.press('Enter');
    await waitForBotText(page, de('feedback.thanks'));
    await watched.screenshot('desktop-de-2-conversation');

    const botTexts = (await page.locator(BOT_BUBBLES).allInnerTexts()).join('\n');
    expect(botTexts).toContain(de('greeting'));
    expect(botTexts).not.toContain(en('symptom.question'));
    // A German customer is addressed with "Sie", never "du".
    expect(botTexts).not.toMatch(/\b(du|dir|dich|dein\w*)\b/i);
    // Escape closes the chat and gives the focus back to the launcher.
    await page.locator(SEND_BOX).focus();
    await page.keyboard.press('Escape');
    await expect(page.locator('#ghc-panel').isHidden()).resolves.toBe(true);
    await expect(focusedMatches(page, '.ghc-launcher')).resolves.toBe(true);
    await expectOnlyThisServer(watched);
  }, 180_000);

  it('a reload in the middle of the conversation shows its history and goes on with it', async () => {
    const watched = await open({ ...PHONE, locale: 'en-US' });
    const { page } = watched;
    await page.getByRole('button', { name: 'Open the help chat' }).click();
    await waitForBotText(page, en('symptom.question'));
    await page.locator(CARD_BUTTONS, { hasText: en('symptom.choice.missed-sale') }).click();
    await waitForBotText(page, en('symptom.ack.missed-sale'));
    const before = await widgetSession(page);
    expect(before.conversationId).toBeTruthy();
    expect(before.watermark).toMatch(/^\d+$/);

    await page.reload();
    // The chat opens again by itself, with what was said before.
    await waitForBotText(page, en('symptom.ack.missed-sale'));
    await expect(page.locator('.webchat__bubble--from-user', { hasText: en('symptom.choice.missed-sale') }).isVisible()).resolves.toBe(true);
    // Only for the picture: Web Chat scrolls smoothly to the end of the replayed history.
    await page.waitForTimeout(1500);
    await watched.screenshot('phone-4-after-reload');
    expect((await widgetSession(page)).conversationId).toBe(before.conversationId);

    await typeAndSend(page, DEMO_CODES['job-archived']);
    await waitForBotText(page, 'The ordering period for this gallery ended');
    await watched.screenshot('phone-5-continued');
    // The greeting was not repeated: the conversation went on, it did not start again.
    await expect(page.locator(BOT_BUBBLES, { hasText: en('greeting') }).count()).resolves.toBe(1);
    await expectOnlyThisServer(watched);
  }, 180_000);

  it('measures send → reply visible in the page (report only; performance is not asserted in timed tests)', async () => {
    const watched = await open({ ...DESKTOP, locale: 'en-US' });
    const { page } = watched;
    await page.getByRole('button', { name: 'Open the help chat' }).click();
    await waitForBotText(page, en('symptom.question'));
    // In the page: when Enter is pressed, and when a new bot bubble appears (a MutationObserver, no polling delay).
    await page.evaluate(`(() => {
      const log = { sends: [], replies: [] };
      window.__latency = log;
      const bubbles = () => document.querySelectorAll(${JSON.stringify(BOT_BUBBLES)}).length;
      document.addEventListener('keydown', (event) => { if (event.key === 'Enter') log.sends.push(performance.now()); }, true);
      let seen = bubbles();
      new MutationObserver(() => {
        const now = bubbles();
        if (now > seen) log.replies.push(performance.now());
        seen = now;
      }).observe(document.body, { childList: true, subtree: true });
    })()`);
    const samples: number[] = [];
    for (let round = 0; round < 15; round += 1) {
      const bubbles = await countOf(page, BOT_BUBBLES);
      await typeAndSend(page, 'help');
      await waitForMoreThan(page, BOT_BUBBLES, bubbles);
      const { sends, replies } = await page.evaluate<{ sends: number[]; replies: number[] }>('window.__latency');
      const sent = sends.at(-1)!;
      const reply = replies.find((time) => time > sent)!;
      samples.push(reply - sent);
    }
    const result = { samples: samples.map((ms) => Math.round(ms)), p50: Math.round(percentile(samples, 0.5)), p90: Math.round(percentile(samples, 0.9)) };
    writeFileSync(join(ARTIFACTS, 'latency.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`send → reply visible in Web Chat over the bot's Direct Line (WebSocket, loopback): p50 ${result.p50} ms, p90 ${result.p90} ms, n=${samples.length}`);
    expect(samples).toHaveLength(15);
    await expectOnlyThisServer(watched);
  }, 180_000);
});
