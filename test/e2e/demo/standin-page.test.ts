import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type RunningDemo, startDemo } from '../../../src/demo/index.js';
import { testRedisUrl } from '../../support/redis.js';
import { launchBrowser, type TestBrowser } from './browser.js';
import { gateOf, parentOf, statusLine } from './standin-locators.js';

// The demo in this process (on the run's Redis) and its stand-in page in a real browser, walked the way README's
// "What to do with it" tells a person to: through the page only (clicks and the message box), publishing with the
// demo's own `promotion-bot publish` where README says to run it. The steps share one demo and run in order.
// It writes nothing into the repository: README's picture comes from `npm run screenshot`.

/** How long one stretch of the flow (deploys, tests, a canary) may take on a busy machine. */
const FLOW_MS = 60_000;
const STEP_MS = FLOW_MS * 3;
const REASON = 'Checkout <b>totals</b> are off by one cent & nobody knows why';

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

describe("the Slack stand-in page, walked through README's demo", () => {
  it(
    "1. shows shop 1.0.0 pass development and staging, each stage's steps in its thread, and stop at the gate",
    async () => {
      await statusLine(page, '1.0.0', 'awaiting approval').waitFor({ timeout: FLOW_MS });
      const parent = parentOf(page, '1.0.0');
      expect(await parent.textContent()).toMatch(/✔ development\s+✔ staging\s+… production/);
      const gate = gateOf(page, '1.0.0');
      await gate.getByRole('button', { name: 'Approve' }).waitFor({ timeout: FLOW_MS });
      expect(await gate.locator('.b-header').textContent()).toBe('Approve shop 1.0.0 for production?');

      await parent.getByRole('button', { name: '2 replies' }).click();
      const thread = parent.locator('.thread');
      await thread.waitFor();
      const stages = await thread.locator('article.message').allTextContents();
      expect(stages).toEqual([
        expect.stringMatching(/shop 1\.0\.0 passed in development.*✔ deploy passed.*✔ smoke passed/s),
        expect.stringMatching(
          /shop 1\.0\.0 passed in staging.*✔ deploy passed.*✔ acceptance passed.*✔ load passed/s,
        ),
      ]);
      await parent.getByRole('button', { name: '2 replies · hide' }).click();
      await thread.waitFor({ state: 'detached' });
    },
    STEP_MS,
  );

  it(
    '2. approves it, confirms, and sees it released',
    async () => {
      const gate = gateOf(page, '1.0.0');
      await gate.getByRole('button', { name: 'Approve' }).click();
      const confirm = page.getByRole('alertdialog');
      expect(await confirm.textContent()).toContain('Deploy shop 1.0.0 to production?');
      await confirm.getByRole('button', { name: 'Deploy' }).click();
      await gate.getByText(/Approved\s+by @You/).waitFor();
      expect(await gate.getByRole('button').count()).toBe(0);

      await statusLine(page, '1.0.0', 'released').waitFor({ timeout: FLOW_MS });
      expect(await parentOf(page, '1.0.0').textContent()).toMatch(/✔ development\s+✔ staging\s+✔ production/);
      expect(await parentOf(page, '1.0.0').textContent()).toMatch(
        /Released to production today at \d\d:\d\d/,
      );
    },
    STEP_MS,
  );

  it(
    '3. approves shop 1.1.0, whose error rate breaches, and is told it rolled back to 1.0.0, where, and what next',
    async () => {
      await demo.publish('1.1.0');
      await approve('1.1.0');
      await statusLine(page, '1.1.0', 'rolled back').waitFor({ timeout: FLOW_MS * 2 });

      await page.getByRole('link', { name: /deploy-alerts/ }).click();
      const notice = page.locator('article.message', { hasText: 'Rolled back shop 1.1.0 in production.' });
      await notice.waitFor();
      const said = await notice.locator('.content').textContent();
      expect(said).toMatch(
        /Why: Metrics breached their thresholds for 2 checks in a row:\s*• error-rate [\d.]+ > max 0\.05/,
      );
      expect(said).toMatch(/Where: breached at (canary \d+%|full rollout) \(step [1-3] of 3\)/);
      expect(said).toContain('Running in production now: 1.0.0 sha256:');
      expect(said).toContain(
        'Next: An approver can /promote shop 1.1.0 --force, or publish a fixed version.',
      );
      // An automatic rollback quarantines the digest; it does not hold production.
      expect(said).not.toMatch(/on hold|unhold/);
      await expectChart(notice);

      await page.getByRole('link', { name: /# deploys/ }).click();
      await expectChart(parentOf(page, '1.1.0'));
    },
    STEP_MS,
  );

  it(
    '4. types the slash commands: lists, holds and unholds, is told there is nothing to roll back to, forces 1.1.0 again',
    async () => {
      await send('/promotions');
      const list = privately('2 promotions · newest first');
      await list.waitFor();
      expect(await list.locator('.content').textContent()).toMatch(
        /↩ rolled back · production · shop 1\.1\.0 sha256:\w+ · today at \d\d:\d\d\s*➚ released · production · shop 1\.0\.0 sha256:\w+ · today at \d\d:\d\d\s*2 promotions · newest first/,
      );

      await send('/hold shop production freeze for the demo');
      await saidInChannel('@You (owner, approver) put shop production on hold: freeze for the demo');
      await send('/unhold shop production');
      await saidInChannel('@You (owner, approver) lifted the hold on shop production');

      // Production runs 1.0.0 again after 1.1.0's rollback, and 1.0.0 was its first release.
      await send('/rollback shop production');
      const refusal = privately('nothing earlier to go back to');
      await refusal.waitFor();
      expect(await refusal.locator('.content').textContent()).toBe(
        '− shop production has nothing earlier to go back to: 1.0.0 is its first release there',
      );
      expect(await refusal.getByRole('button', { name: 'Roll back' }).count()).toBe(0);

      await send('/promote shop 1.1.0 --force');
      await saidInChannel('@You (owner, approver) forced shop 1.1.0 to start again from development');
      await statusLine(page, '1.1.0', 'awaiting approval').waitFor({ timeout: FLOW_MS });
      const gate = gateOf(page, '1.1.0').last();
      await gate.getByRole('button', { name: 'Approve' }).waitFor({ timeout: FLOW_MS });
      expect(await gate.textContent()).toContain('In production now: 1.0.0');

      await send('/hold shopp');
      const usage = privately('unknown service "shopp"');
      await usage.waitFor();
      expect(await usage.locator('.content').textContent()).toMatch(
        /^⚠ unknown service "shopp"\s*Usage: \/hold <service> \[environment\] \[for <duration>\] \[reason…\]\s*Services: shop$/,
      );
      expect(await usage.textContent()).toContain('Only visible to you');
    },
    STEP_MS,
  );

  it(
    '5. as Sam is told privately that he may not approve; as you rejects with a reason in a modal; opens App Home',
    async () => {
      const gate = gateOf(page, '1.1.0').last();
      await actAs('Sam (developer)');
      // What the bot told you privately is not Sam's to see.
      await privately('unknown service "shopp"').waitFor({ state: 'detached' });
      await gate.getByRole('button', { name: 'Approve' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Deploy' }).click();
      const refusal = privately('you are not an approver');
      await refusal.waitFor();
      expect(await refusal.locator('.content').textContent()).toContain(
        'you are not an approver for shop production',
      );
      expect(await gate.getByRole('button', { name: 'Approve' }).count()).toBe(1);

      await actAs('You (owner, approver)');
      await privately('unknown service "shopp"').waitFor();
      expect(await privately('you are not an approver').count()).toBe(0);
      await gate.getByRole('button', { name: 'Reject' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Reject' }).click();
      const modal = page.getByRole('dialog');
      await modal.getByRole('heading', { name: 'Reject release' }).waitFor();
      await modal.getByRole('button', { name: 'Reject' }).click();
      await modal.getByText('Please fill out this required field.').waitFor();
      await modal.getByLabel('Reason').fill(REASON);
      await modal.getByRole('button', { name: 'Reject' }).click();
      await modal.waitFor({ state: 'detached' });
      await gate.getByText(/Rejected\s+by @You/).waitFor();
      expect(await gate.textContent()).toContain(REASON);
      // The parent's edit follows the gate's through the channel's paced lane: on a loaded machine, that takes a while.
      await statusLine(page, '1.1.0', 'held').waitFor({ timeout: FLOW_MS });

      await page.getByRole('link', { name: 'promotion-bot · Home' }).click();
      await page.getByRole('heading', { name: 'promotion-bot · Home' }).waitFor();
      const home = page.locator('.home');
      await home.getByText('Promotions', { exact: true }).waitFor();
      expect(await home.textContent()).toMatch(/production 1\.0\.0 sha256:/);
      expect(await home.textContent()).toContain('In flight');

      expect(demo.standin.web.blockErrors).toEqual([]);
      expect(pageErrors).toEqual([]);
    },
    STEP_MS,
  );

  it('keeps the person chosen in "You are" when the answer for the one before arrives after the switch', async () => {
    await page.getByRole('link', { name: /# deploys/ }).click();
    const late = /\/standin\/state\?user=U0DEMO$/;
    let asked: () => void = () => undefined;
    const askedForYou = new Promise<void>((resolve) => {
      asked = resolve;
    });
    let answer: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    await page.route(late, async (route) => {
      asked();
      await answered;
      await route.continue();
    });
    await post('C0ALERTS', 'a change, so the page asks for its state');
    await askedForYou;

    await actAs('Sam (developer)');
    answer();
    await privately('you are not an approver').waitFor();
    await page.unroute(late);
    expect(await page.getByLabel('Act as').inputValue()).toBe('U0SAM');

    await actAs('You (owner, approver)');
    await privately('unknown service "shopp"').waitFor();
  });

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

/** Approves `version` at its open gate and confirms, as README's steps 2 and 3 say. */
async function approve(version: string): Promise<void> {
  const gate = gateOf(page, version).last();
  await gate.getByRole('button', { name: 'Approve' }).click({ timeout: FLOW_MS });
  await page.getByRole('alertdialog').getByRole('button', { name: 'Deploy' }).click();
  await gate.getByText(/Approved\s+by @You/).waitFor();
}

/** Types a slash command into the message box and waits until the page has sent it. */
async function send(command: string): Promise<void> {
  const box = page.getByLabel('Slash command');
  await box.fill(command);
  await page.getByRole('button', { name: 'Send' }).click();
  // The box empties once the stand-in took the command (typing the next one before would lose it), or says why not.
  await page.locator('#command:placeholder-shown, #composer-error:not(:empty)').first().waitFor();
  expect(await page.locator('#composer-error').textContent()).toBe('');
}

/** A reply only the person who typed the command sees. */
function privately(text: string) {
  return page.locator('article.message.ephemeral', { hasText: text });
}

/** A message everyone in the channel sees, saying exactly `text`. */
async function saidInChannel(text: string): Promise<void> {
  const message = page.locator('article.message:not(.ephemeral)', { hasText: text });
  await message.waitFor();
  expect(await message.locator('.content').textContent()).toBe(text);
}

/** Switches "You are" to `person`: the page now shows what they see and clicks as them. */
async function actAs(person: string): Promise<void> {
  await page.getByLabel('Act as').selectOption({ label: person });
}

/** What the test reads of an <img> in the page (the compiler knows no DOM here). */
type LoadingImage = {
  readonly complete: boolean;
  readonly naturalWidth: number;
  addEventListener(type: 'load' | 'error', listener: () => void): void;
};

/** The rollback chart in the thread under `message`: titled with the metric and the rollout step, and drawn. */
async function expectChart(message: Locator): Promise<void> {
  const toggle = message.locator('.thread-toggle');
  await toggle.waitFor({ timeout: FLOW_MS });
  if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
  const chart = message.locator('.thread figure.file', { hasText: 'error-rate against its threshold' });
  await chart.waitFor({ timeout: FLOW_MS });
  expect(await chart.locator('figcaption').textContent()).toMatch(
    /^error-rate against its threshold during the rollout: breached at /,
  );
  // Drawn once loaded: waits for the load (or error) event of an image still arriving.
  const drawn = await chart.locator('img').evaluate((img: LoadingImage) =>
    img.complete
      ? img.naturalWidth > 0
      : new Promise<boolean>((resolve) => {
          img.addEventListener('load', () => resolve(img.naturalWidth > 0));
          img.addEventListener('error', () => resolve(false));
        }),
  );
  expect(drawn).toBe(true);
}

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
