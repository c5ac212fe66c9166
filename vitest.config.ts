import { defineConfig } from 'vitest/config';

// Workspace packages (the stand-in) resolve to their TypeScript sources, not to a build that may be missing or old.
const SOURCES = 'promotion-bot-source';

export default defineConfig({
  ssr: { resolve: { conditions: [SOURCES] } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-redis.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration suites spawn workers and child processes; two cores are shared.
    maxWorkers: 2,
    // `npm run coverage`: the pure core and the engine that carries it out, from the in-process tests.
    coverage: {
      provider: 'v8',
      include: ['src/domain/**', 'src/engine/**'],
      reporter: ['text', 'text-summary'],
    },
  },
});
