import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDemo, startDemo } from '../../../src/demo/index.js';
import { testRedisUrl } from '../../support/redis.js';
import { launchBrowser, type TestBrowser } from './browser.js';
import { gateOf, parentOf, statusLine } from './standin-locators.js';

// The demo in this process (on the run's Redis) and its stand-in page in a real browser: a person watches a
// release reach the gate, approves it and sees it released; rejects another with a reason and sees it held.
// It writes nothing into the repository: README's picture comes from `npm run screenshot`.

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

describe('the Slack stand-in page', () => {
  it(
    'approves the good version at the gate and sees it released, then rejects another with a reason',
    async () => {
      const gate = gateOf(page, '1.0.0');
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
      await parentOf(page, '1.0.0').getByText('production: canary').waitFor({ timeout: FLOW_MS });
      await demo.publish('1.2.0');
      await statusLine(page, '1.0.0', 'released').waitFor({ timeout: FLOW_MS });

      const next = gateOf(page, '1.2.0');
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
      await statusLine(page, '1.2.0', 'held').waitFor();

      await parentOf(page, '1.2.0')
        .getByRole('button', { name: /\d+ replies/ })
        .click();
      await parentOf(page, '1.2.0').locator('.thread').waitFor();
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
