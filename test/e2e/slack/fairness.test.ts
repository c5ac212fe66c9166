import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { slackKeys } from '../../../src/slack/notifier/slack-keys.js';
import { buttonsOf } from '../../support/fake-slack/index.js';
import { waitForStatus } from '../../support/promotion-api.js';
import { testRedisUrl } from '../../support/redis.js';
import { waitFor } from '../../support/wait-for.js';
import { serviceNames, servicesPipeline } from '../../support/workspace.js';
import { DEPLOYS, isGate, ONCALL, PEOPLE, slackHarnessPerTest } from './slack-harness.js';

// Each channel is its own lane: a flood of posts into one channel, paced at Slack's one a second, never keeps
// another channel's gate waiting; and nothing a lost write dropped from the lanes stays undelivered.

const start = slackHarnessPerTest();
const MEMBERS = PEOPLE.map((person) => person.id);
const FLOOD = 'C0FLOOD';
const QUIET = 'C0QUIET';
const FLOOD_SERVICES = 12;

const quietService = `  quiet:
    channel: ${QUIET}
    alertChannel: ${ONCALL}
    owners: [U0ALICE]
    environments:
      - name: development
        deploy: { run: ./deploy.sh }
      - name: production
        approval: { approvers: [U0CAROL], expiresAfter: 1h }
        deploy: { run: ./deploy.sh }
`;

describe('a flood of posts into one channel', () => {
  it('leaves a gate in a quiet channel to go out at once, while the flood is still being paced', async () => {
    const s = await start({
      pipelineYaml: `${servicesPipeline({ count: FLOOD_SERVICES, channel: FLOOD })}${quietService}`,
      postsPerSecond: 2,
      fake: {
        channels: [FLOOD, QUIET, ONCALL, DEPLOYS].map((id) => ({
          id,
          name: id.toLowerCase(),
          members: MEMBERS,
        })),
      },
    });
    const flood = serviceNames(FLOOD_SERVICES);
    await Promise.all(flood.map((service) => s.publish('1.0.0', service)));
    // Three posts each (promotion, thread, gate) at two a second: the flood takes about 18 s to go out.
    await s.fake.waitForMessage(FLOOD, () => true);

    const id = await s.publish('1.0.0', 'quiet');
    await waitFor('the quiet gate opened', async () =>
      (await s.promotion(id)).status === 'awaiting_approval' ? true : undefined,
    );
    const gate = await s.gate('1.0.0', (m) => buttonsOf(m).length === 2, {
      service: 'quiet',
      channel: QUIET,
    });

    const floodPostsBefore = s.fake
      .callsTo('chat.postMessage')
      .filter(
        (call) => call.ok && call.args.channel === FLOOD && Number(call.response?.ts) < Number(gate.ts),
      );
    expect(floodPostsBefore.length).toBeLessThan(FLOOD_SERVICES * 3);
    const floodGates = s.fake.messages(FLOOD).filter((m) => flood.some((name) => isGate(m, name, '1.0.0')));
    expect(floodGates.length).toBeLessThan(FLOOD_SERVICES);
    expect(s.fake.maxPostsPerSecond(FLOOD)).toBeLessThanOrEqual(2 + 2);
  });
});

describe('a promotion a lost write dropped from its lane', () => {
  it('is found by the sweeper and delivered', async () => {
    const s = await start({
      fake: {
        channels: [
          { id: DEPLOYS, name: 'deploys', members: MEMBERS, isMember: false },
          { id: ONCALL, name: 'oncall', members: MEMBERS },
        ],
      },
      delivery: { unreachableRetryMs: 600_000, sweepEveryMs: 300 },
    });
    const id = await s.publish('1.0.0');
    await waitForStatus(s.bot.api, id, 'awaiting_approval');
    const keys = slackKeys(s.bot.prefix);
    const redis = new Redis(testRedisUrl());
    try {
      // As if Redis lost the lane entries (a failover): only the pending notices and their index are left.
      await redis.del(keys.lanes, keys.lane(DEPLOYS));
      await s.fake.inviteBot(DEPLOYS);
      const gate = await s.openGate('1.0.0');
      expect(buttonsOf(gate)).toHaveLength(2);
      await waitFor('nothing left to deliver', async () =>
        (await redis.hexists(keys.outstanding, id)) ? undefined : true,
      );
    } finally {
      await redis.quit();
    }
  });
});

describe('a long Slack outage', () => {
  it('is waited out with backoff, however long, and the gate goes out after it', async () => {
    const s = await start({ delivery: { retryDelayMs: 100, maxRetryDelayMs: 800 } });
    s.fake.failFor(6000, { status: 503 }, 'chat.postMessage');
    const since = Date.now();
    const id = await s.publish('1.0.0');
    await waitForStatus(s.bot.api, id, 'awaiting_approval');

    const gate = await s.openGate('1.0.0');
    const failed = s.fake
      .callsTo('chat.postMessage')
      .filter((call) => call.at >= since && call.status === 503);
    expect(failed.length).toBeGreaterThan(3);
    // 100, 200, 400, then every 800 ms: about ten tries in six seconds, not hundreds.
    expect(failed.length).toBeLessThanOrEqual(14);
    expect(buttonsOf(gate)).toHaveLength(2);
  });
});
