// One bot per API suite: the web role only (no workers), so published promotions stay where the API left them.
import { API_TOKEN, startTestBot, type TestBot } from '../../support/test-bot.js';
import { createWorkspace, type Workspace } from '../../support/workspace.js';

export { API_TOKEN };

/** Two services, so that messages listing the known services can be checked. */
export const API_PIPELINE = `services:
  checkout:
    channel: C0DEPLOYS
    owners: [U0ALICE]
    environments:
      - name: development
        deploy: { run: ./deploy.sh }
      - name: production
        approval: { approvers: [U0CAROL] }
        deploy: { run: ./deploy.sh }
  payments:
    channel: C0PAY
    owners: [U0ALICE]
    environments:
      - name: production
        approval: { approvers: [U0CAROL] }
        deploy: { run: ./deploy.sh }
`;

export type ApiBot = { readonly bot: TestBot; stop(): Promise<void> };

export async function startApiBot(): Promise<ApiBot> {
  const workspace: Workspace = await createWorkspace();
  const bot = await startTestBot({ pipelineFile: await workspace.writePipeline(API_PIPELINE), role: 'web' });
  return {
    bot,
    async stop() {
      await bot.shutdown();
      await workspace.remove();
    },
  };
}

export type RawResponse = {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies field by field and assert on them
  readonly body: any;
};

/** A request with exactly the headers given: no token unless the test adds one. */
export async function rawRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: init.headers ?? {},
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text,
    headers: response.headers,
    body,
  };
}

let counter = 0;

/** A fresh, well-formed digest per artifact (distinct from the ones other suites use). */
export function freshDigest(): string {
  counter += 1;
  return `sha256:${counter.toString(16).padStart(64, 'c')}`;
}

export function artifact(version: string, digest = freshDigest()) {
  return { service: 'checkout', version, digest };
}
