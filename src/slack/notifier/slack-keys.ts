// Every delivery key shares one hash tag, so the scripts that touch a lane and a promotion's pending notices
// together run on one Redis Cluster slot.
export function slackKeys(prefix: string) {
  const tag = `{${prefix}-slack}`;
  return {
    tag,
    messages: (promotionId: string) => `${tag}:messages:${promotionId}`,
    pending: (promotionId: string) => `${tag}:pending:${promotionId}`,
    /** Channels with something to deliver, scored by when their lane may run next. */
    lanes: `${tag}:lanes`,
    /** One channel's promotions with pending notices, the urgent ones first, then oldest first. */
    lane: (channel: string) => `${tag}:lane:${channel}`,
    lease: (channel: string) => `${tag}:lease:${channel}`,
    /** Set when a notice came in while the lane was held: when its holder gives it back, it is due by then. */
    wake: (channel: string) => `${tag}:wake:${channel}`,
    /** Promotion id -> its lane, for every promotion with pending notices: what the sweeper checks. */
    outstanding: `${tag}:outstanding`,
    /** Channel -> why the bot cannot post there, since when, and when to try again. */
    unreachable: `${tag}:unreachable`,
  };
}

export type SlackKeys = ReturnType<typeof slackKeys>;
