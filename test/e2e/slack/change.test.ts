import { describe, expect, it } from 'vitest';
import { textOf } from '../../support/fake-slack/index.js';
import { publishArtifact } from '../../support/promotion-api.js';
import { slackHarnessPerTest } from './slack-harness.js';

// The change in the gate, through Slack: the first release has nothing to compare with; the next one links the
// comparison between the commit production runs and the candidate's, and shows what staging passed and how long.

const start = slackHarnessPerTest();
const FIRST = '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const SECOND = '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

describe('the change in the gate', () => {
  it('links the comparison from the commit in production to the candidate’s once something runs there', async () => {
    const s = await start({
      pipeline: { compareUrl: 'https://github.com/acme/checkout/compare/{from}...{to}' },
    });
    await publishArtifact(s.bot.api, { version: '1.0.0', commit: FIRST });
    const first = await s.openGate('1.0.0');
    expect(textOf(first)).toContain(
      '*Change:* first release: nothing runs in production yet to compare with',
    );
    expect(textOf(first)).toMatch(
      /\*Passed in staging:\* `deploy` \d+\.\ds · `acceptance` \d+\.\ds · `load` \d+\.\ds · total \d+\.\ds/,
    );
    await s.click('approve', first, 'U0CAROL');
    await s.parent('1.0.0', (text) => text.includes(':rocket: released'));

    await publishArtifact(s.bot.api, { version: '1.1.0', commit: SECOND });
    const second = await s.openGate('1.1.0');

    expect(textOf(second)).toContain('*In production now:* 1.0.0');
    expect(textOf(second)).toContain(
      `*Change:* <https://github.com/acme/checkout/compare/${FIRST}...${SECOND}|1.0.0 → 1.1.0 (1111111…2222222)>`,
    );
    await s.click('approve', second, 'U0CAROL');
    await s.parent('1.1.0', (text) => text.includes(':rocket: released'));
    // The decided gate, edited in place, keeps the change it asked about.
    const decided = await s.gate('1.1.0', (m) => textOf(m).includes('*Approved* by <@U0CAROL>'));
    expect(textOf(decided)).toContain(`compare/${FIRST}...${SECOND}|1.0.0 → 1.1.0 (1111111…2222222)>`);
  });
});
