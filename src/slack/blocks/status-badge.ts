import type { PromotionStatus } from '../../domain/promotion.js';

const BADGES: Readonly<Record<PromotionStatus, { readonly emoji: string; readonly label: string }>> = {
  running: { emoji: ':arrows_counterclockwise:', label: 'running' },
  waiting: { emoji: ':hourglass_flowing_sand:', label: 'waiting' },
  awaiting_approval: { emoji: ':raised_hand:', label: 'awaiting approval' },
  held: { emoji: ':double_vertical_bar:', label: 'held' },
  failed: { emoji: ':x:', label: 'failed' },
  rolling_back: { emoji: ':rewind:', label: 'rolling back' },
  rolled_back: { emoji: ':leftwards_arrow_with_hook:', label: 'rolled back' },
  released: { emoji: ':rocket:', label: 'released' },
  superseded: { emoji: ':fast_forward:', label: 'superseded' },
};

/** `:rocket: released` — the status as an emoji and the contract's word for it. */
export function statusBadge(status: PromotionStatus): string {
  const badge = BADGES[status];
  return `${badge.emoji} ${badge.label}`;
}

export function statusLabel(status: PromotionStatus): string {
  return BADGES[status].label;
}
