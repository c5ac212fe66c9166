import { expect } from 'vitest';
import { type SlackHttpResponse, sendViewSubmission } from '../../support/slack-requests.js';
import { waitFor } from '../../support/wait-for.js';
import { SECRET, type SlackHarness } from './slack-harness.js';

/** Submits the reject modal the click opened, as Slack would: with the view's own private_metadata. */
export async function submitModal(
  s: SlackHarness,
  triggerId: string,
  reason: string,
  userId: string,
): Promise<SlackHttpResponse> {
  const modal = await waitFor('the reject modal', () =>
    s.fake.views().find((v) => v.triggerId === triggerId),
  );
  return sendViewSubmission(s.eventsUrl, SECRET, {
    callbackId: 'promotion.reject_reason',
    values: { reason: { reason } },
    userId,
    view: modal.view,
  });
}

/**
 * The bot reads its user groups in the background from the start; a group Slack does not have yet is not read, so
 * nothing is cached and every decision asks Slack (which the test then makes fail or answer).
 */
export async function nothingReadAtStart(s: SlackHarness): Promise<void> {
  const read = await s.fake.waitForCall('usergroups.users.list');
  expect(read.error).toBe('no_such_subteam');
}
