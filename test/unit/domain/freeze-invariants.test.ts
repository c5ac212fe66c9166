import { describe, expect, it } from 'vitest';
import { advance } from '../../../src/domain/advance.js';
import type { FreezeWindow } from '../../../src/domain/freeze.js';
import type { Phase } from '../../../src/domain/promotion.js';
import { phaseFixtures, plausible } from './phase-fixtures.js';
import { EVENT_TYPES, later, stamp } from './promotion-flow.js';

// Every event in every phase, with every environment frozen: nothing enters an environment, and no approval is
// asked for, while a window is open. What is under way (a rollout, a rollback, a step in flight) goes on.

function frozenEverywhere(names: readonly string[]): FreezeWindow {
  return {
    name: 'everything',
    environments: names,
    schedule: { kind: 'once', from: '2000-01-01T00:00:00.000Z', until: '2100-01-01T00:00:00.000Z' },
  };
}

/** The environment a phase has just taken, or the gate it has just opened; undefined for anything else. */
function entered(before: Phase, after: Phase): string | undefined {
  if (after.kind === 'awaiting_approval' && before.kind !== 'awaiting_approval') return 'the gate';
  if (after.kind === 'deploying' && (before.kind !== 'deploying' || before.environment !== after.environment))
    return `environment ${after.environment}`;
  if (after.kind === 'rolling_out' && before.kind !== 'rolling_out') return 'production';
  return undefined;
}

describe('a freeze window over every environment', () => {
  for (const { label, flow } of phaseFixtures()) {
    it(`lets nothing enter an environment or reach the gate while ${label}`, () => {
      const service = {
        ...flow.service,
        freezes: [frozenEverywhere(flow.service.environments.map((environment) => environment.name))],
      };
      for (const type of EVENT_TYPES) {
        const event = plausible(flow, type);
        const transition = advance(flow.promotion, stamp(event, later(flow.now)), service);
        if (!transition.ok) continue;
        expect({ type, entered: entered(flow.promotion.phase, transition.promotion.phase) }).toEqual({
          type,
          entered: undefined,
        });
      }
    });
  }
});
