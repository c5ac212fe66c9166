import type { Pipeline } from '../domain/pipeline.js';
import type { Commands } from '../engine/commands.js';
import type { EnvironmentStore, PromotionStore } from '../engine/ports.js';
import type { Logger } from '../logger.js';
import type { DeliveryStatus } from './notifier/delivery-status.js';

/** What the Slack listeners need: the engine's commands and read access to state. */
export type SlackDeps = {
  readonly commands: Commands;
  readonly promotions: PromotionStore;
  readonly environments: EnvironmentStore;
  readonly pipeline: Pipeline;
  readonly log: Logger;
  /** Channels the bot cannot post in, and what happens when it is invited. */
  readonly delivery: DeliveryStatus;
};
