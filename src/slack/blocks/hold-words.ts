import type { Hold } from '../../domain/promotion.js';
import { formatTime, mention } from './format.js';
import { escapeMrkdwn, truncate } from './text.js';

/**
 * Who or what holds it, and why: `<@U0ALICE>: quarter-end freeze`, with `(lifts itself today at 14:00)` for a
 * hold placed `for` a while, or `the freeze window "weekend" until Monday at 08:00`.
 */
export function describeHold(hold: Hold): string {
  if (hold.freeze) {
    const until = hold.until ? ` until ${formatTime(hold.until)}` : '';
    return `the freeze window “${escapeMrkdwn(truncate(hold.freeze, 80))}”${until}`;
  }
  const lifts = hold.until ? ` (lifts itself ${formatTime(hold.until)})` : '';
  return `${mention(hold.by)}: ${escapeMrkdwn(truncate(hold.reason, 500))}${lifts}`;
}
