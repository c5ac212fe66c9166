// test/support's fake Slack Web API as its own process, so its work (parsing, Block Kit validation) is not
// done on the load generator's event loop. Prints one JSON line: its URLs and where to read its counters.
import { startFakeSlack, TEST_CHANNELS } from '../test/support/fake-slack/index.js';
import { sendJson, startHttpServer } from '../test/support/http-server.js';

const fake = await startFakeSlack({
  channels: TEST_CHANNELS,
  postsPerSecondPerChannel: Number(process.env.POSTS_PER_SECOND ?? '1000'),
  // A load generator: it measures the bot's own throughput, so Slack's per-method tiers would only cap it.
  rateTiers: false,
});
const stats = await startHttpServer((_request, response) => {
  const byMethod: Record<string, number> = {};
  for (const call of fake.calls) byMethod[call.method] = (byMethod[call.method] ?? 0) + 1;
  sendJson(response, 200, {
    byMethod,
    failed: fake.calls.filter((call) => !call.ok).length,
    ephemeralResponses: ephemeralResponsesBySender(),
    blockErrors: fake.blockErrors.length,
  });
});
/**
 * Ephemeral replies Slack accepted on response URLs, by who was sent them: a response URL `…/response/<sender>-<n>`
 * counts for `<sender>`, so one fake can tell the bot's replies from the bare app's.
 */
function ephemeralResponsesBySender(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const response of fake.responses) {
    if (!response.ok || (response.response_type ?? 'ephemeral') !== 'ephemeral') continue;
    const sender = response.id.split('-', 1)[0] ?? '';
    counts[sender] = (counts[sender] ?? 0) + 1;
  }
  return counts;
}
process.stdout.write(`${JSON.stringify({ apiUrl: fake.apiUrl, url: fake.url, statsUrl: stats.url })}\n`);
process.on('SIGTERM', () => {
  Promise.all([fake.close(), stats.close()]).finally(() => process.exit(0));
});
