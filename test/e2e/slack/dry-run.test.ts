import { describe, expect, it } from 'vitest';
import { DEPLOYS, slackHarnessPerTest } from './slack-harness.js';

// `/promote <service> <version> --dry-run` end to end: a signed slash command, the plan shown only to the person
// who asked (valid Block Kit: the harness fails a test on any block the stand-in refuses), and nothing else.

const startSlack = slackHarnessPerTest();

describe('/promote --dry-run', () => {
  it('shows a version that is not published yet its plan, privately, and calls no Slack method', async () => {
    const s = await startSlack();

    const asked = await s.slash('/promote', 'checkout 8.0.0 --dry-run', 'U0MALLORY');

    const text = await s.ephemeralReply(asked);
    expect((await s.replyTo(asked)).body.blocks?.length).toBeGreaterThan(3);
    expect(text).toContain('Dry run: checkout 8.0.0');
    expect(text).toContain('Not published yet: there is nothing to promote until CI publishes it.');
    expect(text).toContain('*production* runs nothing yet (first release)');
    expect(text).toContain(':lock: Gate: 1 of <@U0CAROL>, <@U0DAVE>');
    expect(s.fake.calls.filter((call) => call.method.startsWith('chat.'))).toEqual([]);
    expect(s.fake.messages(DEPLOYS)).toEqual([]);
  });

  it('shows a published version where it is, the holds in force and what runs, changing nothing', async () => {
    const s = await startSlack();
    await s.replyTo(await s.slash('/hold', 'checkout production quarter-end', 'U0ALICE'));
    const id = await s.publish('8.1.0');
    await s.parent('8.1.0', (text) => text.includes(':double_vertical_bar: held'));
    const before = await s.promotion(id);

    const text = await s.ephemeralReply(await s.slash('/promote', 'checkout 8.1.0 —dry-run', 'U0BOB'));

    expect(text).toContain(`Published: promotion \`${id}\`, held before production.`);
    expect(text).toContain('Now it would be held before *production* by <@U0ALICE>: quarter-end');
    expect(text).toContain(':double_vertical_bar: Held by <@U0ALICE>: quarter-end');
    expect(await s.promotion(id)).toEqual(before);
    const everyMessage = [...s.fake.messages(DEPLOYS), ...s.fake.ephemerals(DEPLOYS)].map((m) => m.text);
    expect(everyMessage.filter((message) => message.startsWith('Dry run'))).toHaveLength(1);
    expect(s.fake.ephemerals(DEPLOYS).find((m) => m.text.startsWith('Dry run'))?.user).toBe('U0BOB');
  });

  it('answers a bad option with the usage, which lists --dry-run', async () => {
    const s = await startSlack();

    const text = await s.ephemeralReply(await s.slash('/promote', 'checkout 8.2.0 --dryrunn', 'U0ALICE'));

    expect(text).toContain('unknown option "--dryrunn" (options: --force, --dry-run)');
    expect(text).toContain(
      '/promote &lt;service&gt; &lt;version&gt; [to &lt;environment&gt;] [--force] [--dry-run]',
    );
  });
});
