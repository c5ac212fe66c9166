import { describe, expect, it } from 'vitest';
import { createLaneBell } from '../../../src/slack/notifier/lane-bell.js';

const HOUR = 3_600_000;

describe('the lane bell', () => {
  it('wakes every idle worker at a ring, long before their look is due', async () => {
    const bell = createLaneBell();
    const signal = new AbortController().signal;
    let woken = 0;
    const waits = [bell.wait(HOUR, signal), bell.wait(HOUR, signal)].map((wait) => wait.then(() => woken++));
    bell.ring();
    await Promise.all(waits);
    expect(woken).toBe(2);
  });

  it('lets a worker go on at its next look when nobody rings', async () => {
    await createLaneBell().wait(1, new AbortController().signal);
  });

  it('lets a worker stop when the process shuts down', async () => {
    const controller = new AbortController();
    const wait = createLaneBell().wait(HOUR, controller.signal);
    controller.abort();
    await wait;
    expect(controller.signal.aborted).toBe(true);
  });

  it('lets a worker stop at once when the process shut down before it began to wait', async () => {
    await createLaneBell().wait(HOUR, AbortSignal.abort());
  });

  it('rings only those waiting now: a later wait is not woken by an earlier ring', async () => {
    const bell = createLaneBell();
    bell.ring();
    let woken = false;
    const controller = new AbortController();
    const wait = bell.wait(HOUR, controller.signal).then(() => {
      woken = true;
    });
    await Promise.resolve();
    expect(woken).toBe(false);
    controller.abort();
    await wait;
  });
});
