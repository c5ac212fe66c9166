import { describe, expect, it } from 'vitest';
import { buttonsOf, textOf } from '../../support/fake-slack/index.js';
import { waitFor } from '../../support/wait-for.js';
import { DEPLOYS, type SlackHarness, slackHarnessPerTest } from './slack-harness.js';

// Soak end to end: after staging's tests pass the promotion stays in staging for the soak, the parent message and
// App Home show the time left, and it goes on to the production gate by itself, which shows the soak served. A
// newer version published during the soak supersedes it and soaks afresh.

const startSlack = slackHarnessPerTest();
const SOAK_MS = 3000;

type Soaking = {
  readonly kind: 'soaking';
  readonly environment: number;
  readonly since: string;
  readonly until: string;
};

/** The promotion's phase once it soaks (read through the API). */
function soakingPhase(s: SlackHarness, id: string): Promise<Soaking> {
  return waitFor(
    `${id} to soak`,
    async () => {
      const { phase } = await s.promotion(id);
      return phase.kind === 'soaking' ? phase : undefined;
    },
    20_000,
  );
}

async function homeText(s: SlackHarness, user: string): Promise<string> {
  const before = s.fake.callsTo('views.publish').length;
  expect((await s.openHome(user)).status).toBe(200);
  await waitFor('App Home to be published', () => s.fake.callsTo('views.publish').length > before);
  return textOf({ blocks: s.fake.homeView(user)?.view.blocks ?? [] });
}

describe('a soak on staging', () => {
  it('holds the promotion in staging with the time left shown, then goes on to the gate by itself', async () => {
    const s = await startSlack({ pipeline: { soak: '3s' } });
    const id = await s.publish('7.0.0');

    const soak = await soakingPhase(s, id);
    expect(soak.environment).toBe(1);
    expect(Date.parse(soak.until) - Date.parse(soak.since)).toBe(SOAK_MS);
    expect(await homeText(s, 'U0ALICE')).toMatch(
      /running · 7\.0\.0 · staging · soaking: \ds left, until <!date\^/,
    );
    const parent = await s.parent('7.0.0', (text) => text.includes('Soaking in staging'));
    expect(textOf(parent)).toMatch(/Soaking in staging: \ds left, until <!date\^/);
    expect(textOf(parent)).toContain(':hourglass: staging');
    // Nothing asks for production's approval during the soak.
    expect(s.fake.messages(DEPLOYS).filter((m) => buttonsOf(m).length > 0)).toEqual([]);

    const gate = await s.openGate('7.0.0');
    const promotion = await s.promotion(id);
    expect(Date.parse(promotion.updatedAt)).toBeGreaterThanOrEqual(Date.parse(soak.until));
    expect(promotion.stages[1]).toMatchObject({ status: 'passed' });
    expect(promotion.stages[1].soakedMs).toBeGreaterThanOrEqual(SOAK_MS);
    expect(textOf(gate)).toMatch(/\*Passed in staging:\* .*`load` [\d.]+s · total [^·]+ · soaked \ds/);
  });

  it('is superseded by a newer version published during it, which soaks afresh before its own gate', async () => {
    const s = await startSlack({ pipeline: { soak: '3s' } });
    const olderId = await s.publish('7.1.0');
    const older = await soakingPhase(s, olderId);

    const newerId = await s.publish('7.2.0');

    await waitFor('7.1.0 to be superseded', async () => (await s.promotion(olderId)).status === 'superseded');
    const newer = await soakingPhase(s, newerId);
    expect(Date.parse(newer.since)).toBeGreaterThan(Date.parse(older.since));
    expect(Date.parse(newer.until) - Date.parse(newer.since)).toBe(SOAK_MS);
    await s.parent('7.1.0', (text) => text.includes(':fast_forward: superseded'));

    await s.openGate('7.2.0');
    const atGate = await s.promotion(newerId);
    expect(atGate.stages[1].soakedMs).toBeGreaterThanOrEqual(SOAK_MS);
    // The older one never reached a gate, and staging ran the newer one's tests after its own deploy.
    expect(s.fake.messages(DEPLOYS).filter((m) => m.text.includes('7.1.0 needs approval'))).toEqual([]);
    const tests = await s.workspace.lines('tests.log');
    expect(tests.filter((line) => line.startsWith('staging 7.2.0'))).toEqual([
      'staging 7.2.0 acceptance',
      'staging 7.2.0 load',
    ]);
  });
});
