import { afterEach, describe, expect, it } from 'vitest';
import type { Service } from '../../../src/domain/pipeline.js';
import { aDeploy, anEnvironment, aProduction, aService, HOUR } from '../../support/pipeline-builder.js';
import {
  current,
  deployIn,
  type Harness,
  holderOf,
  jobsIn,
  openHarness,
  phaseOf,
  publish,
  succeed,
} from './engine-harness.js';

// A soak through the engine: the wake-up is a keyed delayed job (scheduling it again changes nothing), the
// environment stays taken while it soaks, and a newer version takes over the environment and soaks afresh.

const SOAK = HOUR;

/** dev -> staging (one test, soaks an hour) -> production behind the gate. */
const depot: Service = aService({
  name: 'depot',
  channel: 'C0DEPOT',
  alertChannel: 'C0DEPOT',
  environments: [
    anEnvironment('development'),
    anEnvironment('staging', { tests: ['acceptance'], soakMs: SOAK }),
    aProduction({ deploy: aDeploy(), monitor: undefined }),
  ],
});

let h: Harness;

afterEach(async () => {
  await h.close();
});

function open(): Harness {
  h = openHarness({ pipeline: { services: new Map([[depot.name, depot]]) } });
  return h;
}

/** Publishes `version` and passes development and staging's test: it soaks in staging from now. */
async function toSoak(version: string) {
  const promotion = await publish(h, depot, version);
  await succeed(h, promotion.id, deployIn(0));
  await succeed(h, promotion.id, deployIn(1));
  await succeed(h, promotion.id, { kind: 'test', environment: 1, test: 0 });
  return current(h, promotion.id);
}

function wakeUp(id: string, until: string) {
  return h.engine.dispatch(id, { type: 'soakEnded', environment: 1, until });
}

describe('a soak in the engine', () => {
  it('keeps staging and schedules one keyed wake-up at the soak’s end, however often it is scheduled', async () => {
    open();
    const soaking = await toSoak('2.0.0');
    const until = new Date(h.clock.now().getTime() + SOAK).toISOString();

    expect(soaking.phase).toMatchObject({ kind: 'soaking', environment: 1, until });
    expect(await holderOf(h, 'depot', 'staging')).toBe(soaking.id);
    const job = { promotionId: soaking.id, service: 'depot', environment: 1, until };
    expect(await jobsIn(h, 'soak-end')).toEqual([
      {
        id: `${soaking.id}.soak-end.1.${Date.parse(until)}`,
        name: 'soak-end',
        data: job,
        delay: SOAK,
        attempts: 5,
      },
    ]);
    await h.queues.scheduler.scheduleSoakEnd(job, SOAK);
    expect(await jobsIn(h, 'soak-end')).toHaveLength(1);
    expect(h.notifier.kindsFor(soaking.id)).toContain('soaking');
  });

  it('moves on at the wake-up: staging is given up and the gate opens; a second wake-up changes nothing', async () => {
    open();
    const soaking = await toSoak('2.0.0');
    if (soaking.phase.kind !== 'soaking') throw new Error('not soaking');
    const { until } = soaking.phase;

    h.clock.advance(SOAK - 1);
    const early = await wakeUp(soaking.id, until);
    expect(early.ok ? 'moved on' : early.reason).toMatch(/^2\.0\.0 soaks in staging until /);
    h.clock.advance(1);
    const woken = await wakeUp(soaking.id, until);
    const again = await wakeUp(soaking.id, until);

    expect(woken.ok).toBe(true);
    expect(again.ok).toBe(false);
    const after = await current(h, soaking.id);
    expect(after.phase.kind).toBe('awaiting_approval');
    expect(after.stages[1]).toMatchObject({ status: 'passed', soakedMs: SOAK });
    expect(await holderOf(h, 'depot', 'staging')).toBeNull();
  });

  it('gives staging to a newer version published during the soak, which soaks afresh', async () => {
    open();
    const older = await toSoak('2.0.0');
    if (older.phase.kind !== 'soaking') throw new Error('not soaking');
    h.clock.advance(20 * 60_000);

    const newer = await toSoak('2.1.0');

    expect((await phaseOf(h, older.id)).kind).toBe('superseded');
    expect(newer.phase).toMatchObject({
      kind: 'soaking',
      environment: 1,
      until: new Date(h.clock.now().getTime() + SOAK).toISOString(),
    });
    expect(await holderOf(h, 'depot', 'staging')).toBe(newer.id);
    // The older one's wake-up finds it superseded, and the newer one is not woken by the older soak's end.
    expect((await wakeUp(older.id, older.phase.until)).ok).toBe(false);
    h.clock.advance(SOAK);
    expect((await wakeUp(newer.id, older.phase.until)).ok).toBe(false);
    expect((await phaseOf(h, newer.id)).kind).toBe('soaking');
    const wakeUps = (await jobsIn(h, 'soak-end')).map((job) => String(job.id));
    expect(wakeUps).toHaveLength(2);
    expect(wakeUps).toEqual(
      expect.arrayContaining([older, newer].map((p) => expect.stringMatching(`^${p.id}\\.soak-end\\.1\\.`))),
    );
  });
});
