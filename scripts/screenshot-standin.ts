// `npm run screenshot [file]`: redraws README's picture of the Slack stand-in (docs/images/standin.png unless a
// file is given). It runs the demo (with its own throw-away redis-server unless REDIS_URL is set) and drives
// Debian's chromium like the browser test, through README's first steps: shop 1.0.0 approved and released, then
// shop 1.1.0 through development and staging (its thread open on each stage's steps) and waiting at the production
// gate. Tests never write into the repository; this script is the one thing that does.
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { type RunningDemo, startDemo } from '../src/demo/index.js';
import { launchBrowser } from '../test/e2e/demo/browser.js';
import { gateOf, parentOf, statusLine } from '../test/e2e/demo/standin-locators.js';

const DEFAULT_FILE = new URL('../docs/images/standin.png', import.meta.url).pathname;
const FLOW_MS = 60_000;

async function approve(page: Page, version: string): Promise<void> {
  const gate = gateOf(page, version);
  await gate.getByRole('button', { name: 'Approve' }).click({ timeout: FLOW_MS });
  await page.getByRole('alertdialog').getByRole('button', { name: 'Deploy' }).click();
  await gate.getByText(/Approved\s+by @You/).waitFor();
}

async function tour(page: Page, demo: RunningDemo): Promise<void> {
  await approve(page, '1.0.0');
  await statusLine(page, '1.0.0', 'released').waitFor({ timeout: FLOW_MS });
  await demo.publish('1.1.0');
  await gateOf(page, '1.1.0').getByRole('button', { name: 'Approve' }).waitFor({ timeout: FLOW_MS });
  await parentOf(page, '1.1.0').getByRole('button', { name: '2 replies' }).click();
  await parentOf(page, '1.1.0').locator('.thread').waitFor();
}

async function screenshot(file: string): Promise<void> {
  const demo = await startDemo({
    env: { REDIS_URL: process.env.REDIS_URL, LOG_LEVEL: 'info' },
    out: () => undefined,
  });
  const browser = await launchBrowser().catch(async (error: unknown) => {
    await demo.stop();
    throw error;
  });
  try {
    const page = await browser.context.newPage();
    await page.goto(demo.standinUrl);
    await tour(page, demo);
    // A picture of a stand-in that refused a payload would show a bot that does not work.
    if (demo.standin.web.blockErrors.length > 0) {
      throw new Error(`the stand-in refused blocks: ${JSON.stringify(demo.standin.web.blockErrors)}`);
    }
    // The whole channel, oldest message at the top, no hover highlight.
    await page.setViewportSize({ width: 1280, height: 1640 });
    await page.locator('#messages').evaluate((list) => list.scrollTo(0, 0));
    await page.mouse.move(0, 0);
    await page.screenshot({ path: file });
  } finally {
    await browser.close();
    await demo.stop();
  }
}

const file = resolve(process.argv[2] ?? DEFAULT_FILE);
await screenshot(file);
process.stdout.write(`wrote ${file}\n`);
