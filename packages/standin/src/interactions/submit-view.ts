// A modal's submit button: a signed `view_submission` with what was typed. The app's answer closes the modal, or
// keeps it open with an error under each input it names (`response_action: errors`), as in Slack.

import { type ViewClose, ViewSubmissionAnswer, type ViewSubmit } from '../page-requests.js';
import { sendViewSubmission } from '../requests/index.js';
import type { StandinContext } from '../standin-context.js';
import { describeError, OK, type Outcome, refused, requestUrlOf, userNameOf } from './outcome.js';

export async function submitView(context: StandinContext, submit: ViewSubmit): Promise<Outcome> {
  const url = requestUrlOf(context);
  if (typeof url !== 'string') return url;
  const stored = context.web.view(submit.viewId);
  if (!stored || stored.userId !== submit.user || context.closedViews.has(stored.id)) {
    return refused('that modal is closed');
  }
  let reply: Awaited<ReturnType<typeof sendViewSubmission>>;
  try {
    reply = await sendViewSubmission(url, context.options.signingSecret, {
      callbackId: String(stored.view.callback_id ?? ''),
      values: submit.values,
      userId: submit.user,
      userName: userNameOf(context, submit.user),
      view: stored.view,
    });
  } catch (error) {
    return refused(describeError(error));
  }
  if (reply.status < 200 || reply.status >= 300) return refused(`the app answered HTTP ${reply.status}`);
  const answer = ViewSubmissionAnswer.safeParse(reply.body.trim() === '' ? {} : parseJson(reply.body));
  if (answer.success && 'errors' in answer.data) {
    return { ok: false, error: 'the app found a problem', errors: answer.data.errors };
  }
  closeView(context, submit);
  return OK;
}

/** Closing a modal (its Cancel or ×): Slack tells the app only when the view asks for notify_on_close. */
export function closeView(context: StandinContext, close: ViewClose): Outcome {
  const stored = context.web.view(close.viewId);
  if (stored?.userId === close.user) context.closedViews.add(stored.id);
  context.live.changed();
  return OK;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
