import { describe, expect, it } from 'vitest';
import { sendSigned } from '../../support/slack-requests.js';
import { SECRET, slackHarnessPerTest } from '../slack/slack-harness.js';

// Signed bodies that name a Slack type but lack what Bolt reads to dispatch it (the clicker, the actions, the view,
// the event). Bolt used to fail on them inside its dispatch, unacknowledged: a 500, or a 404 three seconds later.
// They are refused at the door with 400, and the bot goes on serving.

const startSlack = slackHarnessPerTest();
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

function interaction(payload: unknown): [string, string] {
  return [new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM];
}

const MALFORMED: ReadonlyArray<[string, string]> = [
  interaction({ type: 'block_actions' }),
  interaction({ type: 'block_actions', user: null, actions: [{}] }),
  interaction({ type: 'block_actions', user: { id: 'U0CAROL' }, actions: null }),
  interaction({ type: 'block_actions', user: { id: 'U0CAROL' }, actions: [] }),
  interaction({ type: 'view_submission', user: { id: 'U0CAROL' } }),
  interaction({ type: 'view_submission', user: { id: 'U0CAROL' }, view: null }),
  interaction({ type: 'shortcut' }),
  interaction({ type: 'message_action', user: 'U0CAROL' }),
  interaction({ type: 'block_suggestion' }),
  interaction({ type: 'no_such_type', user: { id: 'U0CAROL' } }),
  [JSON.stringify({ type: 'event_callback' }), JSON_TYPE],
  [JSON.stringify({ type: 'event_callback', event: null }), JSON_TYPE],
  [JSON.stringify({ type: 'event_callback', event: 'app_home_opened' }), JSON_TYPE],
  [JSON.stringify({ type: 'url_verification' }), JSON_TYPE],
  [JSON.stringify({ type: 'no_such_type' }), JSON_TYPE],
  ['command=%2Frollback', FORM],
  ['command=%2Frollback&user_id=U0ALICE', FORM],
  ['command=%2Frollback&response_url=https%3A%2F%2Fhooks.slack.com%2Fx', FORM],
];

describe('signed bodies Bolt cannot dispatch', () => {
  it('are refused with 400 at once, and a normal command still works afterwards', async () => {
    const s = await startSlack();

    const answers = [];
    for (const [body, type] of MALFORMED) {
      answers.push({ body, status: (await sendSigned(s.eventsUrl, SECRET, body, type)).status });
    }

    expect(answers).toEqual(MALFORMED.map(([body]) => ({ body, status: 400 })));
    const reply = await s.ephemeralReply(await s.slash('/promotions', '', 'U0ALICE'));
    expect(reply.length).toBeGreaterThan(0);
    expect((await fetch(s.eventsUrl.replace('/slack/events', '/healthz'))).status).toBe(200);
  });
});
