import type { App } from '@slack/bolt';
import { renderHome } from '../blocks/render-home.js';
import { buildHomeOverview } from '../home-overview.js';
import type { SlackDeps } from '../slack-deps.js';

/** App Home: what runs where, what is in flight, what is held; published each time someone opens it. */
export function registerEvents(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const overview = await buildHomeOverview(deps);
    await client.views.publish({ user_id: event.user, view: renderHome(overview) });
  });
}
