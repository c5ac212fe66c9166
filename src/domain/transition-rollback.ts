import type { Effect, StepResult, Transition } from './events.js';
import { phaseInWords } from './phase-words.js';
import { productionIndex } from './pipeline.js';
import type { Phase, Promotion, RollbackCause } from './promotion.js';
import { setStageStatus, updateStage } from './stages.js';
import { type Ctx, type Event, environmentAt, moved, nameOf, notice, refuse } from './transition-kit.js';

// Rolling production back: asked for by a person or by the analysis, and how it ends.

export function onRollbackRequested(p: Promotion, e: Event<'rollbackRequested'>, ctx: Ctx): Transition {
  const cause: RollbackCause = {
    kind: 'manual',
    by: e.by,
    ...(e.reason === undefined ? {} : { reason: e.reason }),
  };
  if (p.phase.kind === 'rolling_out') return rollBack(p, cause, false, ctx, []);
  if (p.phase.kind === 'released') return rollBack(p, cause, true, ctx, []);
  return refuse(`${p.artifact.version} is not in production (it is ${phaseInWords(p.phase, ctx.service)})`);
}

export function rollBack(
  p: Promotion,
  cause: RollbackCause,
  released: boolean,
  ctx: Ctx,
  effects: Effect[],
): Transition {
  const production = productionIndex(ctx.service);
  const environment = environmentAt(ctx.service, production);
  const name = nameOf(ctx.service, production);
  if (!environment.rollback && !p.stages[production]?.predecessor) {
    // Nothing to run and nothing to go back to: say so loudly rather than pretend.
    const failed = updateStage(p, production, setStageStatus('failed', ctx.at));
    const reason = 'no rollback step is configured and nothing ran in production before this version';
    return moved(
      failed,
      { kind: 'failed', environment: production, step: 'rollback', rollbackFailed: true },
      [
        ...effects,
        ...(released ? [] : [{ type: 'leaveEnvironment', environment: production } as const]),
        notice({ kind: 'rollback_failed', environment: name, cause, reason }),
      ],
    );
  }
  return moved(p, { kind: 'rolling_back', cause, released }, [
    ...effects,
    notice({ kind: 'rollback_started', environment: name, cause }),
    { type: 'runStep', step: { kind: 'rollback', environment: production } },
  ]);
}

export function finishRollback(
  p: Promotion,
  phase: Extract<Phase, { kind: 'rolling_back' }>,
  passed: boolean,
  result: StepResult,
  ctx: Ctx,
  finished: Effect,
): Transition {
  const production = productionIndex(ctx.service);
  const name = nameOf(ctx.service, production);
  const leave: Effect[] = phase.released ? [] : [{ type: 'leaveEnvironment', environment: production }];
  if (!passed) {
    const failed = updateStage(p, production, setStageStatus('failed', ctx.at));
    return moved(
      failed,
      { kind: 'failed', environment: production, step: 'rollback', rollbackFailed: true },
      [
        finished,
        ...leave,
        notice({ kind: 'rollback_failed', environment: name, cause: phase.cause, result }),
      ],
    );
  }
  const rolledBack = updateStage(p, production, setStageStatus('rolled_back', ctx.at));
  const automatic = phase.cause.kind !== 'manual';
  return moved(rolledBack, { kind: 'rolled_back', cause: phase.cause }, [
    finished,
    ...(phase.released ? [{ type: 'revertDeployment', environment: production } as const] : []),
    ...(automatic
      ? [
          {
            type: 'quarantine',
            environment: production,
            reason: `automatic rollback of ${p.artifact.version}`,
          } as const,
        ]
      : []),
    ...leave,
    notice({ kind: 'rolled_back', environment: name, cause: phase.cause }),
  ]);
}
