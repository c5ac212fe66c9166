import { describe, expect, it } from 'vitest';
import { auditOf, publishedAudit } from '../../../src/domain/audit.js';
import { anArtifact, aService } from '../../support/pipeline-builder.js';
import { approve, atTheGate, drive, entered, publish, START, stamp } from './promotion-flow.js';

describe('publishedAudit', () => {
  it('records who published which artifact, when, and where it left the promotion', () => {
    const flow = publish(aService(), { by: 'api', artifact: anArtifact({ commit: 'abc123' }) });

    const entry = publishedAudit(flow.promotion);

    expect(entry).toEqual({
      at: START,
      type: 'published',
      by: 'api',
      status: 'running',
      phase: 'entering',
      detail: { ...anArtifact(), commit: 'abc123' },
    });
  });
});

describe('auditOf', () => {
  it('records an event with its author and the status after it', () => {
    const gate = atTheGate();
    const event = stamp(approve('U0CAROL', ['S0RELEASE']), '2024-03-01T12:00:00.000Z');
    const after = drive(gate, { ...approve('U0CAROL', ['S0RELEASE']), at: event.at });

    const entry = auditOf(event, after.promotion);

    expect(entry).toEqual({
      at: '2024-03-01T12:00:00.000Z',
      type: 'approvalDecided',
      by: 'U0CAROL',
      status: 'running',
      phase: 'entering',
      detail: { by: 'U0CAROL', byGroups: ['S0RELEASE'], decision: 'approve' },
    });
  });

  it('leaves out the author of an event that has none', () => {
    const event = stamp(entered(0), '2024-03-01T09:05:00.000Z');
    const after = drive(publish(), { ...entered(0), at: event.at });

    const entry = auditOf(event, after.promotion);

    expect('by' in entry).toBe(false);
    expect(entry).toMatchObject({
      type: 'environmentEntered',
      status: 'running',
      phase: 'deploying',
      detail: { environment: 0 },
    });
  });
});
