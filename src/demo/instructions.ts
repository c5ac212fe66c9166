// What the demo prints once it runs: where to look, and the exact command that publishes the bad version.
import { demoCommit, demoDigest } from './demo-secrets.js';
import { BAD_VERSION, DEMO_SERVICE, GOOD_VERSION } from './demo-workspace.js';
import type { RunningDemo } from './start-demo.js';

/** `npx tsx src/cli.ts` when running from the sources (this file is TypeScript then), else the build's CLI. */
const CLI = import.meta.url.endsWith('.ts') ? 'npx tsx src/cli.ts' : 'node dist/cli.js';

export function publishCommandLine(demo: Pick<RunningDemo, 'botUrl' | 'secrets'>, version: string): string {
  return [
    `PROMOTION_API_TOKEN=${demo.secrets.apiToken} ${CLI} publish`,
    `--service ${DEMO_SERVICE} --version ${version}`,
    `--digest ${demoDigest(DEMO_SERVICE, version)} --commit ${demoCommit(version)} --api ${demo.botUrl}`,
  ].join(' ');
}

export function instructions(demo: RunningDemo): string {
  return `
promotion-bot demo is running.

  Slack stand-in   ${demo.standinUrl}    <- open this in your browser
  bot              ${demo.botUrl}    (API token ${demo.secrets.apiToken})
  Redis            ${demo.redisUrl}${demo.redisPid ? ' (ephemeral: removed when the demo stops)' : ''}
  bot log          ${demo.logFile}

Published ${DEMO_SERVICE} ${GOOD_VERSION}: watch it in #deploys go development -> staging -> production.
At the production gate, click Approve (you are an approver); the canary then rolls out in three steps.

Then publish ${DEMO_SERVICE} ${BAD_VERSION}: its error rate climbs in production, and the canary rolls back:

  ${publishCommandLine(demo, BAD_VERSION)}

In the stand-in, type /promotions, /hold ${DEMO_SERVICE} production <reason>, /unhold ${DEMO_SERVICE} production or
/rollback ${DEMO_SERVICE} production; switch "You are" to act as someone else; open the app's Home tab.

Ctrl-C stops the bot, the stand-in, the demo services and Redis.
`;
}
