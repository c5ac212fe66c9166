import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
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
    await post('C0ALERTS', hostile);
    await page.getByRole('link', { name: /deploy-alerts/ }).click();
    const message = page.locator('article.message', { hasText: 'onerror' });
    await message.waitFor();

    expect(await message.locator('img').count()).toBe(0);
    expect(await message.locator('a').count()).toBe(0);
    expect(await message.locator('strong').textContent()).toBe('bold');
    expect(await message.locator('.mention').textContent()).toBe('@You (owner, approver)');
    expect(await page.evaluate("'hacked' in window")).toBe(false);
  });

  it('counts what arrived in a channel since you last looked at it, and clears the count when you open it', async () => {
    const alerts = page.getByRole('link', { name: /deploy-alerts/ });
    const deploys = page.getByRole('link', { name: /# deploys/ });
    await alerts.click();
    await deploys.click();
    await alerts.locator('.count').waitFor({ state: 'detached' });

    await post('C0ALERTS', 'first unread');
    await post('C0ALERTS', 'second unread');
    await alerts.getByText('2', { exact: true }).waitFor();
    expect(await deploys.locator('.count').count()).toBe(0);

    await alerts.click();
    await page.locator('article.message', { hasText: 'second unread' }).waitFor();
    expect(await alerts.locator('.count').count()).toBe(0);
    await post('C0ALERTS', 'read as it arrives');
    await page.locator('article.message', { hasText: 'read as it arrives' }).waitFor();
    expect(await alerts.locator('.count').count()).toBe(0);

    await deploys.click();
    await post('C0ALERTS', 'one more');
    await alerts.getByText('1', { exact: true }).waitFor();
  });

  it("titles the app's direct messages with its name, not as a channel", async () => {
    await page.getByRole('link', { name: 'promotion-bot · Messages' }).click();
    await page.getByRole('heading', { name: 'promotion-bot', exact: true }).waitFor();
    expect(await page.locator('main').textContent()).not.toContain('#');
  });

  it('puts "(edited)" inline after the text of an edited message, as Slack does', async () => {
    const posted = await post('C0ALERTS', 'canary at 20%');
    await page.getByRole('link', { name: /deploy-alerts/ }).click();
    await callWebApi('chat.update', {
      channel: 'C0ALERTS',
      ts: posted.ts,
      text: 'canary at 50%',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'canary at 50%' } }],
    });
    const message = page.locator('article.message', { hasText: 'canary at 50%' });
    const edited = message.locator('.b-text .edited');
    await edited.waitFor();
    // On the line of the text's last word, not on a line of its own under the blocks.
    const [textLine, mark] = z.tuple([z.number(), z.number()]).parse(
      await page.evaluate(`(() => {
        const span = document.querySelector('article[data-ts="${posted.ts}"] .b-text .edited');
        const range = document.createRange();
        range.selectNodeContents(span.parentElement.firstChild);
        const lines = range.getClientRects();
        return [lines[lines.length - 1].top, span.getBoundingClientRect().top];
      })()`),
    );
    expect(Math.abs(mark - textLine)).toBeLessThan(4);
    expect(await message.locator('.content').textContent()).toMatch(/canary at 50% \(edited\)$/);
  });
});

const Posted = z.object({ ok: z.literal(true), ts: z.string() });

/** What the bot would send: a Web API call with its token. */
async function callWebApi(method: string, body: object): Promise<z.output<typeof Posted>> {
  const response = await fetch(`${demo.standin.apiUrl}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${demo.secrets.botToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return Posted.parse(await response.json());
}

function post(channel: string, text: string): Promise<z.output<typeof Posted>> {
  return callWebApi('chat.postMessage', {
    channel,
    text,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  });
}
