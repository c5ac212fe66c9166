import { unreachableAdvice } from '../notifier/slack-failure.js';
import { formatTime } from './format.js';
import { escapeMrkdwn } from './text.js';

/** A channel the bot cannot post in, as App Home and /promotions show it. */
export type DeliveryProblem = {
  readonly channel: string;
  readonly code: string;
  readonly since: string;
  readonly waiting: number;
};

/** One line per channel the bot cannot post in: what is wrong, since when, what waits, and what to do. */
export function deliveryProblemLines(problems: readonly DeliveryProblem[]): string[] {
  return problems.map((problem) => {
    const waiting =
      problem.waiting > 0
        ? `${problem.waiting} promotion${problem.waiting === 1 ? '' : 's'} waiting to be posted`
        : 'messages wait';
    if (problem.channel === '*')
      return `:warning: *Slack refuses the bot's token* (\`${escapeMrkdwn(problem.code)}\`) since ${formatTime(problem.since)}: ${waiting}. Fix the token or reinstall the app from manifest.yml.`;
    return `:warning: *Not delivered* since ${formatTime(problem.since)} (\`${escapeMrkdwn(problem.code)}\`): ${waiting}; ${unreachableAdvice(problem.channel, problem.code)}.`;
  });
}
