import { describe, expect, it } from 'vitest';
import { type HomeOverview, type HomeService, renderHome } from '../../../src/slack/blocks/render-home.js';
import { expectInert, expectValidHome, textOf } from './block-kit.js';
import { at, DIGEST, HOSTILE, NOW } from './promotions.js';

const checkout: HomeService = {
  name: 'checkout',
  environments: [
    { name: 'development', running: { version: '1.4.3', digest: DIGEST, since: at(5) } },
    { name: 'staging', running: { version: '1.4.2', digest: DIGEST } },
    { name: 'production' },
  ],
  inFlight: [{ version: '1.4.3', status: 'running', environment: 'staging' }],
  holds: [{ environment: 'production', reason: 'quarterly freeze', by: 'U0ALICE', at: at(1) }],
};

const overview: HomeOverview = {
  asOf: NOW,
  services: [checkout, { name: 'payments', environments: [{ name: 'production' }], inFlight: [], holds: [] }],
};

describe('renderHome', () => {
  const view = renderHome(overview);
  const text = textOf(view.blocks);

  it('is a valid home view', () => {
    expect(view.type).toBe('home');
    expectValidHome(view);
  });

  it('shows, per service, the version running in each environment', () => {
    expect(text).toContain('*development* 1.4.3 `sha256:0123456789ab` since <!date');
    expect(text).toContain('*staging* 1.4.2 `sha256:0123456789ab`');
    expect(text).toContain('*production* nothing yet (first release)');
  });

  it('shows promotions in flight with their status, and says when there are none', () => {
    expect(text).toContain(':arrows_counterclockwise: running · 1.4.3 · staging');
    expect(text).toContain('_Nothing in flight._');
  });

  it('shows active holds with their reason and who placed them', () => {
    expect(text).toMatch(/:double_vertical_bar: \*production\* held by <@U0ALICE> .*: quarterly freeze/);
  });

  it('says a service-wide hold covers every environment', () => {
    const home = renderHome({
      services: [{ ...checkout, holds: [{ reason: 'incident', by: 'U0ALICE', at: at(1) }] }],
    });
    expect(textOf(home.blocks)).toContain('*every environment* held by <@U0ALICE>');
  });

  it('stays within 100 blocks for many services, and inert for hostile values', () => {
    const many = Array.from(
      { length: 60 },
      (_, i): HomeService => ({
        name: `service-${i}`,
        environments: [{ name: 'production', running: { version: HOSTILE, digest: DIGEST } }],
        inFlight: [{ version: HOSTILE, status: 'held', environment: 'production' }],
        holds: [{ reason: HOSTILE, by: HOSTILE, at: at(1) }],
      }),
    );
    const home = renderHome({ services: many });
    expectValidHome(home);
    expectInert(home);
    expect(textOf(home.blocks)).toContain('more not shown');
  });

  it('says when no services are configured', () => {
    expect(textOf(renderHome({ services: [] }).blocks)).toContain('No services are configured.');
  });
});
