import { describe, expect, it } from 'vitest';
import { renderGate } from '../../../src/slack/blocks/render-gate.js';
import { gateRequestOf } from '../../../src/slack/blocks/wire-ids.js';
import { anApproval, aService, aServiceWithProduction } from '../../support/pipeline-builder.js';
import { buttonsOf, expectInert, expectValidMessage, textOf } from './block-kit.js';
import {
  aFailedStep,
  aPromotion,
  aStage,
  aStep,
  at,
  atGate,
  DIGEST,
  HOSTILE,
  NOW,
  pastStaging,
} from './promotions.js';

const service = aService();
const running = { version: '1.4.1', digest: `sha256:${'f'.repeat(64)}` };

describe('renderGate while the request is open', () => {
  const message = renderGate(atGate(), service, { runningInProduction: running, now: NOW });
  const text = textOf(message.blocks);

  it('is valid Block Kit and notifies that approval is needed', () => {
    expectValidMessage(message);
    expect(message.text).toBe('checkout 1.4.2 needs approval for production');
  });

  it('says what is being approved: service, version, digest and commit', () => {
    expect(text).toContain('Approve checkout 1.4.2 for production?');
    expect(text).toContain('*Service*\ncheckout');
    expect(text).toContain('*Version*\n1.4.2');
    expect(text).toContain(`\`${DIGEST.slice(0, 19)}\``);
    expect(text).toContain('`9fceb02`');
  });

  it('shows what passed in staging with each duration and the total, and what runs in production now', () => {
    expect(text).toContain(
      '*Passed in staging:* `deploy` 4.2s · `acceptance` 30.0s · `load` 2m 5s · total 2m 39s',
    );
    expect(text).toContain('*In production now:* 1.4.1 `sha256:ffffffffffff`');
  });

  it('names who may approve, how many approvals are needed, and when the request expires', () => {
    expect(text).toContain('*Who may approve:* <@U0CAROL>, <!subteam^S0RELEASE>');
    expect(text).toContain('*Approvals:* 0 of 1 required');
    expect(text).toContain('<@U0DAVE> started this promotion and may not approve it');
    expect(text).toMatch(
      /Expires <!date\^\d+\^\{date_short_pretty\} at \{time\}\|2024-03-02 at 09:10 UTC> \(in 23h 10m\)/,
    );
  });

  it('offers Approve and Reject buttons carrying the promotion id, each behind a confirmation', () => {
    const [approve, reject, ...others] = buttonsOf(message.blocks);
    expect(others).toEqual([]);
    expect(approve).toMatchObject({ action_id: 'promotion.approve', value: 'p-42', style: 'primary' });
    expect(approve?.confirm?.text.text).toBe('Deploy checkout 1.4.2 to production?');
    expect(reject).toMatchObject({ action_id: 'promotion.reject', value: 'p-42', style: 'danger' });
    expect(reject?.confirm?.text.text).toContain('Reject checkout 1.4.2');
    expect(reject?.confirm?.style).toBe('danger');
  });

  it('names the request its buttons answer in their block, so a gate asked again is told apart', () => {
    const promotion = atGate();
    const requestedAt = promotion.phase.kind === 'awaiting_approval' ? promotion.phase.requestedAt : '';
    const block = message.blocks.find((b) => b.type === 'actions');

    expect(block?.block_id).toBe(`promotion.gate.${Date.parse(requestedAt)}`);
    expect(gateRequestOf(block?.block_id)).toBe(requestedAt);
    for (const other of [
      undefined,
      'promotion.gate',
      'promotion.gate.',
      'promotion.gate.1e3',
      'x.1',
      'promotion.gate.9999999999999999',
    ])
      expect(gateRequestOf(other)).toBeUndefined();
  });

  it('lists the approvals given so far when more than one is required', () => {
    const twoNeeded = aServiceWithProduction({
      approval: anApproval({ approvers: ['U0CAROL', 'U0ERIN'], required: 2, allowSelfApproval: true }),
    });
    const promotion = atGate({ approvals: [{ by: 'U0CAROL', decision: 'approve', at: at(20) }] });
    const gateText = textOf(
      renderGate(promotion, twoNeeded, { now: NOW, runningInProduction: undefined }).blocks,
    );
    expect(gateText).toMatch(/\*Approvals:\* 1 of 2 required \(<@U0CAROL> <!date/);
    expect(gateText).not.toContain('may not approve it');
    expect(gateText).toContain('nothing yet (first release)');
  });
});

describe('renderGate once decided', () => {
  function closed(promotion: ReturnType<typeof aPromotion>, now = NOW) {
    const message = renderGate(promotion, service, { now, runningInProduction: running });
    expectValidMessage(message);
    expect(buttonsOf(message.blocks)).toEqual([]);
    return { message, text: textOf(message.blocks) };
  }

  it('shows who approved and when, without buttons', () => {
    const { text } = closed(
      aPromotion({
        phase: { kind: 'rolling_out', step: 0, stage: { kind: 'deploying' } },
        stages: pastStaging(aStage('production', 'running')),
        approvals: [{ by: 'U0CAROL', decision: 'approve', at: at(30) }],
      }),
    );
    expect(text).toMatch(
      /:white_check_mark: \*Approved\* by <@U0CAROL> <!date\^\d+\^[^|]+\|2024-03-01 at 09:30 UTC>/,
    );
    expect(text).toContain('*Passed in staging:*');
  });

  it('shows who rejected it, when and why, and how to ask again', () => {
    const { text, message } = closed(
      atGate({
        phase: { kind: 'rejected', by: 'U0CAROL', reason: 'error budget spent', at: at(40) },
        approvals: [{ by: 'U0CAROL', decision: 'reject', at: at(40), reason: 'error budget spent' }],
      }),
    );
    expect(text).toMatch(/:no_entry: \*Rejected\* by <@U0CAROL> .*: error budget spent/);
    expect(text).toContain('The release is held. `/promote checkout 1.4.2` asks for approval again.');
    expect(message.text).toContain('Rejected');
  });

  it('says it expired, both when the expiry was processed and when its time has merely passed', () => {
    expect(closed(atGate({ phase: { kind: 'approval_expired', at: at(1440) } })).text).toContain(
      ':hourglass: *Expired*',
    );
    expect(closed(atGate(), '2024-03-02T09:10:00.000Z').text).toContain(':hourglass: *Expired*');
  });

  it('says which version superseded it', () => {
    expect(closed(atGate({ phase: { kind: 'superseded', by: '1.4.3' } })).text).toContain(
      '*Superseded* by 1.4.3',
    );
  });

  it('keeps who rejected it and why once a newer version supersedes it, without offering to ask again', () => {
    const rejected = { kind: 'rejected', by: 'U0CAROL', reason: 'error budget spent', at: at(40) } as const;
    const { text } = closed(atGate({ phase: { kind: 'superseded', by: '1.4.3', was: rejected } }));
    expect(text).toMatch(
      /:no_entry: \*Rejected\* by <@U0CAROL> <!date[^>]+>: error budget spent\n:fast_forward: \*Superseded\* by 1\.4\.3: this request is closed\./,
    );
    expect(text).not.toContain('asks for approval again');
  });

  it('keeps that it expired once a newer version supersedes it', () => {
    const expired = { kind: 'approval_expired', at: at(1440) } as const;
    const { text } = closed(atGate({ phase: { kind: 'superseded', by: '1.4.3', was: expired } }));
    expect(text).toMatch(
      /:hourglass: \*Expired\* <!date[^>]+> without a decision\.\n:fast_forward: \*Superseded\*/,
    );
    expect(text).not.toContain('asks again');
  });

  it('says what runs in production from the context it is given, the same words whatever the promotion recorded', () => {
    const entered = aPromotion({
      phase: { kind: 'rolling_out', step: 0, stage: { kind: 'deploying' } },
      stages: pastStaging({ ...aStage('production', 'running'), predecessor: running }),
    });
    const now = renderGate(entered, service, { now: NOW, runningInProduction: undefined });
    expect(textOf(now.blocks)).toContain('*In production now:* nothing yet (first release)');
    expect(closed(entered).text).toContain('*In production now:* 1.4.1 `sha256:ffffffffffff`');
  });

  it('says production is held after approval, by whom and why', () => {
    const { text } = closed(
      atGate({
        phase: {
          kind: 'blocked',
          environment: 2,
          hold: { environment: 'production', reason: 'freeze', by: 'U0ALICE', at: at(50) },
        },
        approvals: [{ by: 'U0CAROL', decision: 'approve', at: at(45) }],
      }),
    );
    expect(text).toContain('*Approved* by <@U0CAROL>');
    expect(text).toContain(':double_vertical_bar: *production was put on hold* by <@U0ALICE>: freeze');
    expect(text).toContain('approval is asked again when the hold ends');
  });

  it('says a gate closed by a hold before anyone approved is closed, without an approval line', () => {
    const { text } = closed(
      atGate({
        phase: {
          kind: 'blocked',
          environment: 2,
          hold: { environment: 'production', reason: 'incident 42', by: 'U0ALICE', at: at(50) },
        },
      }),
    );
    expect(text).not.toContain('Approved');
    expect(text).toContain('*production was put on hold* by <@U0ALICE>: incident 42');
  });

  it('keeps a hostile version and rejection reason inert', () => {
    const { text, message } = closed(
      atGate({
        artifact: { version: HOSTILE.repeat(20) },
        phase: { kind: 'rejected', by: 'U0CAROL', reason: HOSTILE.repeat(100), at: at(40) },
      }),
    );
    expectInert(message);
    expect(text).toContain('&lt;!channel&gt;');
  });

  it('keeps its buttons valid for a hostile version too', () => {
    const message = renderGate(atGate({ artifact: { version: HOSTILE.repeat(20) } }), service, {
      now: NOW,
      runningInProduction: { version: HOSTILE, digest: HOSTILE },
    });
    expectValidMessage(message);
    expectInert(message);
    expect(buttonsOf(message.blocks)).toHaveLength(2);
  });
});

describe('what passed in staging, on the gate', () => {
  function passedLine(steps: Parameters<typeof aStage>[2]): string {
    const stages = pastStaging().map((stage) =>
      stage.environment === 'staging' ? aStage('staging', 'passed', steps) : stage,
    );
    const text = textOf(
      renderGate(atGate({ stages }), service, { runningInProduction: running, now: NOW }).blocks,
    );
    return text.split('\n').find((line) => line.startsWith('*Passed in staging:*')) ?? '';
  }

  it('lists only the steps that passed, and totals their durations', () => {
    expect(
      passedLine([
        aStep('deploy', { durationMs: 1200 }),
        aFailedStep('acceptance', { durationMs: 900 }),
        aStep('acceptance', { durationMs: 3400 }),
        aStep('load', { durationMs: 5000 }),
      ]),
    ).toBe('*Passed in staging:* `deploy` 1.2s · `acceptance` 3.4s · `load` 5.0s · total 9.6s');
  });

  it('gives no total for one step, nor when a step has no duration to add', () => {
    expect(passedLine([aStep('deploy', { durationMs: 1200 })])).toBe('*Passed in staging:* `deploy` 1.2s');
    const { durationMs: _unknown, ...untimed } = aStep('load');
    expect(passedLine([aStep('deploy', { durationMs: 1200 }), untimed])).toBe(
      '*Passed in staging:* `deploy` 1.2s · `load`',
    );
  });

  it('says so when nothing was recorded', () => {
    expect(passedLine([])).toBe('*Passed in staging:* no steps recorded');
  });
});

describe('the change in the gate', () => {
  const COMPARE = 'https://github.com/acme/checkout/compare/{from}...{to}';
  const linked = aService({ compareUrl: COMPARE });
  const OLD = 'e83c5163316f89bfbde7d9ab23ca2e25604af290';
  const NEW = '9fceb02d0ae598e95dc970b74767f19372d61af8';
  const withCommit = { ...running, commit: OLD };

  function gateText(
    runningInProduction: typeof withCommit | typeof running | undefined,
    promotion = atGate(),
    target = linked,
  ): string {
    const message = renderGate(promotion, target, { runningInProduction, now: NOW });
    expectValidMessage(message);
    expectInert(message);
    return textOf(message.blocks);
  }

  it('links the comparison by commit when production and the candidate both have one', () => {
    expect(gateText(withCommit)).toContain(
      `*Change:* <https://github.com/acme/checkout/compare/${OLD}...${NEW}|1.4.1 → 1.4.2 (e83c516…9fceb02)>`,
    );
  });

  it('links the comparison by version when production’s deployment has no commit', () => {
    expect(gateText(running)).toContain(
      '*Change:* <https://github.com/acme/checkout/compare/1.4.1...1.4.2|1.4.1 → 1.4.2>',
    );
  });

  it('links it by version when the candidate has no commit', () => {
    const { commit: _none, ...artifact } = atGate().artifact;
    const text = renderGate({ ...atGate(), artifact }, linked, { runningInProduction: withCommit, now: NOW });
    expect(textOf(text.blocks)).toContain('compare/1.4.1...1.4.2|1.4.1 → 1.4.2>');
  });

  it('names the change without a link when the service has no compareUrl', () => {
    const text = gateText(withCommit, atGate(), service);
    expect(text).toContain('*Change:* 1.4.1 → 1.4.2 (e83c516…9fceb02)');
    expect(text).not.toContain('compare/');
  });

  it('says a first release has nothing to compare with', () => {
    expect(gateText(undefined)).toContain(
      '*Change:* first release: nothing runs in production yet to compare with',
    );
  });

  it('says there is no change when production already runs the candidate’s commit or version', () => {
    expect(gateText({ ...running, commit: NEW.slice(0, 7) })).toContain(
      '*Change:* none: production already runs this commit, `9fceb02` (as 1.4.1)',
    );
    expect(gateText({ ...running, version: '1.4.2' })).toContain(
      '*Change:* none: production already runs 1.4.2',
    );
  });

  it('keeps showing the change it was asked about once the release is in production', () => {
    const rolledOut = aPromotion({
      phase: { kind: 'released', at: at(90) },
      stages: pastStaging({ ...aStage('production', 'passed'), predecessor: withCommit }),
      approvals: [{ by: 'U0CAROL', decision: 'approve', at: at(30) }],
    });
    const nowRunning = { version: '1.4.2', digest: DIGEST, commit: NEW };
    expect(gateText(nowRunning, rolledOut)).toContain(
      `compare/${OLD}...${NEW}|1.4.1 → 1.4.2 (e83c516…9fceb02)>`,
    );
    const first = aPromotion({
      phase: { kind: 'released', at: at(90) },
      stages: pastStaging(aStage('production', 'passed')),
    });
    expect(gateText(nowRunning, first)).toContain('*Change:* first release');
  });

  it('keeps hostile versions inert in the label and encoded in the link', () => {
    const hostile = atGate({ artifact: { version: HOSTILE } });
    const text = gateText({ ...running, version: `${HOSTILE}|x>` }, hostile);
    const change = text.split('\n').find((line) => line.startsWith('*Change:*')) ?? '';
    // One link token: the URL ends at the first `|`, and nothing in the label can close the link early.
    expect(change).toMatch(
      /^\*Change:\* <https:\/\/github\.com\/acme\/checkout\/compare\/[^\s<>|]+\|[^<>]+>$/,
    );
    expect(change).toContain('compare/%3C!channel%3E%20%3C%40U123%3E%20%3Chttps');
    expect(change).toContain('|&lt;!channel&gt; &lt;@U123&gt;');
  });

  it('stays within Slack’s limits for the longest versions, naming the change without a link too long to follow', () => {
    const long = atGate({ artifact: { version: HOSTILE.repeat(40) } });
    const text = gateText({ ...running, version: 'v'.repeat(3000) }, long);
    expect(text).toContain(`*Change:* ${'v'.repeat(59)}… → &lt;!channel&gt;`);
    expect(text).not.toContain('compare/');
  });
});
