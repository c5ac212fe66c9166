import type { App } from '@slack/bolt';
import { renderHome } from '../blocks/render-home.js';
import { buildHomeOverview } from '../home-overview.js';
import type { SlackDeps } from '../slack-deps.js';

/**
 * App Home: what runs where, what is in flight, what is held; published each time someone opens it. And the
 * bot's own invitations into channels.
 */
export function registerEvents(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const overview = await buildHomeOverview(deps);
    await client.views.publish({ user_id: event.user, view: renderHome(overview) });
  });
  // The bot was invited: what waited for this channel goes out now, not at the next periodic try.
  app.event('member_joined_channel', async ({ event, context }) => {
    if (context.botUserId === undefined || event.user !== context.botUserId) return;
    await deps.delivery.botJoined(event.channel);
  });
}
