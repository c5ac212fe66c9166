import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDemo, startDemo } from '../../../src/demo/index.js';
import { testRedisUrl } from '../../support/redis.js';
import { launchBrowser, type TestBrowser } from './browser.js';

// The demo in this process (on the run's Redis) and its stand-in page in a real browser: a person watches a
// release reach the gate, approves it and sees it released; rejects another with a reason and sees it held.

const SCREENSHOT = new URL('../../../docs/images/standin.png', import.meta.url).pathname;
const FLOW_MS = 40_000;

let demo: RunningDemo;
let browser: TestBrowser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  demo = await startDemo({ env: { REDIS_URL: testRedisUrl(), LOG_LEVEL: 'info' }, out: () => undefined });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(demo.standinUrl);
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

/** The first line of a promotion's top-level message: `shop 1.0.0 ➚ released · production`. */
function statusLine(version: string, status: string) {
  const line = new RegExp(`^shop ${version.replaceAll('.', '\\.')}\\s+\\S+\\s+${status} · `);
  return page.locator('article.message .b-text', { hasText: line });
}

/** The top-level message of a promotion. */
function parentOf(version: string) {
  const line = new RegExp(`^shop ${version.replaceAll('.', '\\.')}\\s`);
  return page.locator('article.message').filter({ has: page.locator('.b-text', { hasText: line }) });
}

function gateOf(version: string) {
  return page
    .locator('article.message')
    .filter({ has: page.locator('.b-header', { hasText: `shop ${version}` }) });
}

describe('the Slack stand-in page', () => {
  it(
    'approves the good version at the gate and sees it released, then rejects another with a reason',
    async () => {
      const gate = gateOf('1.0.0');
      await gate.getByRole('button', { name: 'Approve' }).waitFor({ timeout: FLOW_MS });
      expect(await gate.locator('.b-header').textContent()).toBe('Approve shop 1.0.0 for production?');

      await gate.getByRole('button', { name: 'Approve' }).click();
      const confirm = page.getByRole('alertdialog');
      expect(await confirm.textContent()).toContain('Deploy shop 1.0.0 to production?');
      await confirm.getByRole('button', { name: 'Deploy' }).click();
      await gate.getByText(/Approved\s+by @You/).waitFor();
      expect(await gate.getByRole('button').count()).toBe(0);

      // The next version goes through development and staging while 1.0.0 rolls out. Published once the rollout
      // has begun: until then a newer version supersedes the approved one, as the engine's rules say.
      await parentOf('1.0.0').getByText('production: canary').waitFor({ timeout: FLOW_MS });
      await demo.publish('1.2.0');
      await statusLine('1.0.0', 'released').waitFor({ timeout: FLOW_MS });

      const next = gateOf('1.2.0');
      await next.getByRole('button', { name: 'Reject' }).waitFor({ timeout: FLOW_MS });
      await next.getByRole('button', { name: 'Reject' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Reject' }).click();
      const modal = page.getByRole('dialog');
      await modal.getByRole('heading', { name: 'Reject release' }).waitFor();
      await modal.getByRole('button', { name: 'Reject' }).click();
      await modal.getByText('Please fill out this required field.').waitFor();
      await modal.getByLabel('Reason').fill('Checkout <b>totals</b> are off by one cent & nobody knows why');
      await modal.getByRole('button', { name: 'Reject' }).click();
      await modal.waitFor({ state: 'detached' });

      await next.getByText(/Rejected\s+by @You/).waitFor();
      expect(await next.textContent()).toContain(
        'Checkout <b>totals</b> are off by one cent & nobody knows why',
      );
      await statusLine('1.2.0', 'held').waitFor();

      await parentOf('1.2.0')
        .getByRole('button', { name: /\d+ replies/ })
        .click();
      await parentOf('1.2.0').locator('.thread').waitFor();
      // For the README: the whole channel, oldest message at the top.
      await page.setViewportSize({ width: 1280, height: 1640 });
      await page.locator('#messages').evaluate((list) => list.scrollTo(0, 0));
      await page.mouse.move(0, 0);
      await page.screenshot({ path: SCREENSHOT });
      expect(demo.standin.web.blockErrors).toEqual([]);
      expect(pageErrors).toEqual([]);
    },
    FLOW_MS * 3,
  );

  it('shows what a message says as text, never as markup', async () => {
    const hostile = '<img src=x onerror="window.hacked=1"> *bold* <javascript:alert(1)|click> <@U0DEMO>';
    await fetch(`${demo.standin.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${demo.secrets.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'C0ALERTS',
        text: hostile,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: hostile } }],
      }),
    });
    await page.getByRole('link', { name: /deploy-alerts/ }).click();
    const message = page.locator('article.message', { hasText: 'onerror' });
    await message.waitFor();

    expect(await message.locator('img').count()).toBe(0);
    expect(await message.locator('a').count()).toBe(0);
    expect(await message.locator('strong').textContent()).toBe('bold');
    expect(await message.locator('.mention').textContent()).toBe('@You (owner, approver)');
    expect(await page.evaluate("'hacked' in window")).toBe(false);
  });
});
