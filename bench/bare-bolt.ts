// The floor for ack latency: a bare Bolt app on HTTPReceiver whose listeners only ack. Run as its own process
// (like the bot) by the ack-latency benchmark; configured like the bot's app, against the same fake Slack.
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
app.command(/^\/(promote|hold|unhold|rollback|promotions)$/, async ({ ack }) => {
  await ack();
});
app.action('promotion.approve', async ({ ack }) => {
  await ack();
});
await app.start({ port, host: '127.0.0.1' });
process.stdout.write(`bare bolt listening on ${port}\n`);
process.on('SIGTERM', () => {
  app.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
