// Publishing a version of the demo service the way CI would: `promotion-bot publish` against the bot's API.
import { publishCommand } from '../cli/publish.js';
import { demoCommit, demoDigest } from './demo-secrets.js';
import { DEMO_SERVICE } from './demo-workspace.js';

export function createPublisher(botUrl: string, apiToken: string, out: (line: string) => void) {
  return async function publish(version: string): Promise<void> {
    const args = [
      '--service',
      DEMO_SERVICE,
      '--version',
      version,
      '--digest',
      demoDigest(DEMO_SERVICE, version),
    ];
    const code = await publishCommand(
      [...args, '--commit', demoCommit(version), '--api', botUrl],
      { PROMOTION_API_TOKEN: apiToken },
      { out, err: out },
    );
    if (code !== 0) throw new Error(`could not publish ${DEMO_SERVICE} ${version}`);
  };
}
