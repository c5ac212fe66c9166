import { productionIndex, type Service } from '../../domain/pipeline.js';
import type { Promotion, Stage } from '../../domain/promotion.js';
import { escapeMrkdwn } from './text.js';

export type StageMark =
  | 'done'
  | 'running'
  | 'soaking'
  | 'waiting'
  | 'failed'
  | 'held'
  | 'rolled back'
  | 'pending'
  | 'skipped';

const EMOJI: Readonly<Record<StageMark, string>> = {
  done: ':white_check_mark:',
  running: ':arrows_counterclockwise:',
  soaking: ':hourglass:',
  waiting: ':hourglass_flowing_sand:',
  failed: ':x:',
  held: ':double_vertical_bar:',
  'rolled back': ':leftwards_arrow_with_hook:',
  pending: ':white_circle:',
  skipped: ':heavy_minus_sign:',
};

/** What one stage looks like now. The phase says more than the stage's own status about what comes next. */
export function stageMark(promotion: Promotion, service: Service, index: number): StageMark {
  const stage = promotion.stages[index];
  const phase = promotion.phase;
  const production = productionIndex(service);
  if (!stage) return 'pending';
  if (phase.kind === 'rolling_back' && index === production) return 'rolled back';
  if (phase.kind === 'soaking' && index === phase.environment) return 'soaking';
  if (stage.status !== 'pending') return markOf(stage);
  if (phase.kind === 'superseded') return 'skipped';
  if (phase.kind === 'awaiting_approval' && index === production) return 'waiting';
  if ((phase.kind === 'rejected' || phase.kind === 'approval_expired') && index === production) return 'held';
  if (phase.kind === 'waiting' && index === phase.environment + 1) return 'waiting';
  if (phase.kind === 'entering' && index === phase.environment) return 'waiting';
  return 'pending';
}

/** `:white_check_mark: development  :arrows_counterclockwise: staging  :white_circle: production` */
export function stageLine(promotion: Promotion, service: Service): string {
  return promotion.stages
    .map(
      (stage, index) => `${EMOJI[stageMark(promotion, service, index)]} ${escapeMrkdwn(stage.environment)}`,
    )
    .join('  ');
}

/** `development done, staging running, production pending`: the same line in words, for notifications. */
export function stageWords(promotion: Promotion, service: Service): string {
  return promotion.stages
    .map((stage, index) => `${escapeMrkdwn(stage.environment)} ${stageMark(promotion, service, index)}`)
    .join(', ');
}

function markOf(stage: Stage): StageMark {
  switch (stage.status) {
    case 'passed':
      return 'done';
    case 'rolled_back':
      return 'rolled back';
    case 'pending':
    case 'running':
    case 'failed':
    case 'held':
    case 'skipped':
      return stage.status;
  }
}
