// The floor for ack latency: a bare Bolt app on HTTPReceiver whose listeners ack and then reply on the
// response_url with `respond()`, as the bot does, with payloads shaped and sized like the bot's (the `/promotions`
// list of three promotions, the click's one-line ephemeral refusal). It reads nothing and decides nothing: what
// the bot spends beyond it is its own work. Run as its own process (like the bot) by the ack-latency benchmark;
// configured like the bot's app, against the same fake Slack.
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const port = Number(process.env.PORT);
const signingSecret = process.env.SLACK_SIGNING_SECRET ?? '';
const receiver = new HTTPReceiver({ signingSecret, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
const app = new App({
  token: process.env.SLACK_BOT_TOKEN ?? '',
  receiver,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL ?? '' },
});

/** One line of the bot's `/promotions` list, about as long as the bot's own (~220 characters). */
function listLine(status: string, version: string, at: Date): string {
  const seconds = Math.floor(at.getTime() / 1000);
  return `${status} · development · *checkout ${version}* \`sha256:aaaaaaaaaaaa\` · <!date^${seconds}^{date_short_pretty} at {time}|${at.toISOString()}>`;
}

app.command(/^\/(promote|hold|unhold|rollback|promotions)$/, async ({ ack, respond }) => {
  await ack();
  const now = new Date();
  const lines = [
    listLine(':hourglass_flowing_sand: waiting', '1.0.2', now),
    listLine(':fast_forward: superseded', '1.0.1', now),
    listLine(':fast_forward: superseded', '1.0.0', now),
  ];
  await respond({
    response_type: 'ephemeral',
    text: '3 promotions',
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n'), verbatim: true } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: '3 promotions · newest first', verbatim: true }],
      },
    ],
  });
});
app.action('promotion.approve', async ({ ack, respond }) => {
  await ack();
  await respond({
    response_type: 'ephemeral',
    replace_original: false,
    text: ':no_entry: 1.0.2 is not waiting for approval (it is waiting for a /promote after development)',
  });
});
await app.start({ port, host: '127.0.0.1' });
process.stdout.write(`bare bolt listening on ${port}\n`);
process.on('SIGTERM', () => {
  app.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
