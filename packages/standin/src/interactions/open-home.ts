// Opening the app's Home tab: an `app_home_opened` event, after which the app publishes the view.

import type { HomeOpened } from '../page-requests.js';
import { appHomeOpenedEvent, sendEvent } from '../requests/index.js';
import type { StandinContext } from '../standin-context.js';
import { answerOf, describeError, type Outcome, refused, requestUrlOf } from './outcome.js';

export async function openHome(context: StandinContext, input: HomeOpened): Promise<Outcome> {
  const url = requestUrlOf(context);
  if (typeof url !== 'string') return url;
  try {
    return answerOf(await sendEvent(url, context.options.signingSecret, appHomeOpenedEvent(input.user)));
  } catch (error) {
    return refused(describeError(error));
  }
}
