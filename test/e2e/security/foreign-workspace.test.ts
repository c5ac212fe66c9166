import type { Payload } from '@promotion-bot/standin/web-api';
import { describe, expect, it } from 'vitest';
import { buttonsOf, type StoredMessage } from '../../support/fake-slack/index.js';
import {
  appHomeOpenedEvent,
  blockActionPayload,
  sendEvent,
  sendInteraction,
  sendSigned,
  slashCommandBody,
} from '../../support/slack-requests.js';
import { waitFor } from '../../support/wait-for.js';
import { DEPLOYS, SECRET, type SlackHarness, slackHarnessPerTest } from '../slack/slack-harness.js';

// Slack signs requests from every workspace the app is in with the same secret, and a Slack Connect channel brings
// in people from other companies. A click or command whose team or enterprise is not the installed one (the
// stand-in's auth.test says T0TEST, no enterprise) is acknowledged and goes no further.

const startSlack = slackHarnessPerTest();
const OTHER_TEAM = 'T0OTHER';
const OTHER_ENTERPRISE = 'E0OTHER';
const FORM = 'application/x-www-form-urlencoded';

let foreignCounter = 0;

/** A response_url of the stand-in, to see whether the bot ever answered a request. */
function responseUrlFor(s: SlackHarness, target: { channel: string; userId: string; messageTs?: string }) {
  foreignCounter += 1;
  const responseId = `RFOREIGN${foreignCounter}`;
  return { responseId, url: s.fake.responseUrl(responseId, target) };
}

/** An Approve click on `gate` by `userId`, with the payload's workspace fields changed by `claim`. */
async function approveAs(
  s: SlackHarness,
  gate: StoredMessage,
  userId: string,
  claim: (payload: Payload) => Payload,
) {
  const value = buttonsOf(gate).find((b) => b.actionId === 'promotion.approve')?.value ?? '';
  const { responseId, url } = responseUrlFor(s, { channel: gate.channel, userId, messageTs: gate.ts });
  const payload = blockActionPayload({
    actionId: 'promotion.approve',
    value,
    userId,
    channelId: gate.channel,
    messageTs: gate.ts,
    responseUrl: url,
    message: gate,
  });
  const http = await sendInteraction(s.eventsUrl, SECRET, claim(payload));
  return { status: http.status, responseId };
}

/** A signed `/rollback` from `teamId`, with more form fields (`enterprise_id`) appended. */
async function rollbackAs(s: SlackHarness, teamId: string, extra: Record<string, string> = {}) {
  const { responseId, url } = responseUrlFor(s, { channel: DEPLOYS, userId: 'U0ALICE' });
  const body = slashCommandBody({
    command: '/rollback',
    text: 'checkout production',
    userId: 'U0ALICE',
    channelId: DEPLOYS,
    responseUrl: url,
    teamId,
  });
  const http = await sendSigned(s.eventsUrl, SECRET, `${body}&${new URLSearchParams(extra)}`, FORM);
  return { status: http.status, responseId };
}

function answered(s: SlackHarness, responseId: string): boolean {
  return s.fake.responses.some((response) => response.id === responseId);
}

describe('requests from another workspace or enterprise', () => {
  it('do not count an Approve click: only the installed workspace approves', async () => {
    const s = await startSlack({ pipeline: { required: 2 } });
    const id = await s.publish('1.0.0');
    const gate = await s.openGate('1.0.0');

    const foreign = [
      await approveAs(s, gate, 'U0CAROL', (p) => ({
        ...p,
        team: { id: OTHER_TEAM, domain: 'other' },
        user: { ...p.user, team_id: OTHER_TEAM },
      })),
      // A Slack Connect guest: the channel's team is ours, the clicker's is not.
      await approveAs(s, gate, 'U0CAROL', (p) => ({ ...p, user: { ...p.user, team_id: OTHER_TEAM } })),
      await approveAs(s, gate, 'U0CAROL', (p) => ({
        ...p,
        enterprise: { id: OTHER_ENTERPRISE, name: 'Other' },
      })),
    ];
    expect(foreign.map((click) => click.status)).toEqual([200, 200, 200]);

    // Then Dave, then Carol herself from our workspace: if a foreign click had counted, Carol's would be refused
    // ("already decided") and the approvals would start with her.
    await s.click('approve', gate, 'U0DAVE');
    await waitFor('Dave’s approval', async () =>
      (await s.promotion(id)).approvals.some((a: { by: string }) => a.by === 'U0DAVE'),
    );
    const own = await s.click('approve', gate, 'U0CAROL');
    await waitFor('the gate to open', async () => (await s.promotion(id)).status !== 'awaiting_approval');

    expect((await s.promotion(id)).approvals).toMatchObject([
      { by: 'U0DAVE', decision: 'approve' },
      { by: 'U0CAROL', decision: 'approve' },
    ]);
    expect(answered(s, own.responseId)).toBe(false);
    expect(foreign.filter((click) => answered(s, click.responseId))).toEqual([]);
  });

  it('ignore /rollback and App Home: nothing is asked, shown or published', async () => {
    const s = await startSlack();
    const fromOtherTeam = await rollbackAs(s, OTHER_TEAM);
    const fromOtherOrg = await rollbackAs(s, 'T0TEST', { enterprise_id: OTHER_ENTERPRISE });
    const home = await sendEvent(s.eventsUrl, SECRET, appHomeOpenedEvent('U0EVE'), { teamId: OTHER_TEAM });
    expect([fromOtherTeam.status, fromOtherOrg.status, home.status]).toEqual([200, 200, 200]);

    // The same requests from our workspace are answered; the foreign ones, sent first, never were.
    const ours = await s.ephemeralReply(await s.slash('/rollback', 'checkout production', 'U0ALICE'));
    expect(ours).toContain('production');
    expect((await s.openHome('U0DAVE')).status).toBe(200);
    await s.fake.waitForCall('views.publish', (call) => call.args.user_id === 'U0DAVE');

    expect(answered(s, fromOtherTeam.responseId)).toBe(false);
    expect(answered(s, fromOtherOrg.responseId)).toBe(false);
    expect(s.fake.homeView('U0EVE')).toBeUndefined();
    expect(s.fake.callsTo('views.publish').map((call) => call.args.user_id)).toEqual(['U0DAVE']);
  });
});
