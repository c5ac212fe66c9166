// What the page may ask of the stand-in, parsed at the boundary.
import { z } from 'zod';

const UserId = z.string().regex(/^[UW][A-Z0-9]{2,20}$/, 'must be a user id like U0DEMO');
const ChannelId = z.string().regex(/^[CGD][A-Z0-9]{2,20}$/, 'must be a channel id like C0DEPLOYS');
const Ts = z.string().regex(/^\d{1,12}\.\d{1,6}$/, 'must be a message ts like 1700000000.000100');

export const ButtonClick = z.object({
  user: UserId,
  channel: ChannelId,
  ts: Ts,
  ephemeral: z.boolean().default(false),
  actionId: z.string().min(1).max(255),
  blockId: z.string().min(1).max(255).optional(),
});
export type ButtonClick = z.output<typeof ButtonClick>;

export const ViewSubmit = z.object({
  user: UserId,
  viewId: z.string().regex(/^V[A-Z0-9]{1,20}$/),
  /** block_id -> action_id -> the text typed. */
  values: z.record(z.string().max(255), z.record(z.string().max(255), z.string().max(3000))),
});
export type ViewSubmit = z.output<typeof ViewSubmit>;

export const ViewClose = z.object({ user: UserId, viewId: z.string().regex(/^V[A-Z0-9]{1,20}$/) });
export type ViewClose = z.output<typeof ViewClose>;

export const SlashCommand = z.object({
  user: UserId,
  channel: ChannelId,
  text: z.string().trim().min(1).max(4000),
});
export type SlashCommand = z.output<typeof SlashCommand>;

export const HomeOpened = z.object({ user: UserId });
export type HomeOpened = z.output<typeof HomeOpened>;

/** What Bolt may answer a view_submission with. */
export const ViewSubmissionAnswer = z.union([
  z.object({ response_action: z.literal('errors'), errors: z.record(z.string(), z.string()) }),
  z.object({ response_action: z.enum(['clear', 'update', 'push']) }),
  z.object({}),
]);

export const UserQuery = UserId;
