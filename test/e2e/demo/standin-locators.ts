// Where a promotion's messages are on the stand-in page: shared by the browser test and `npm run screenshot`.
import type { Page } from 'playwright-core';

/** The first line of a promotion's top-level message: `shop 1.0.0 ➚ released · production`. */
export function statusLine(page: Page, version: string, status: string) {
  const line = new RegExp(`^shop ${version.replaceAll('.', '\\.')}\\s+\\S+\\s+${status} · `);
  return page.locator('article.message .b-text', { hasText: line });
}

/** The top-level message of a promotion. */
export function parentOf(page: Page, version: string) {
  const line = new RegExp(`^shop ${version.replaceAll('.', '\\.')}\\s`);
  return page.locator('article.message').filter({ has: page.locator('.b-text', { hasText: line }) });
}

/** The approval request of a promotion at the production gate. */
export function gateOf(page: Page, version: string) {
  return page
    .locator('article.message')
    .filter({ has: page.locator('.b-header', { hasText: `shop ${version}` }) });
}
