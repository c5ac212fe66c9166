import { expect } from 'vitest';
import type { Api } from './faults/api-client.js';
import { nextDigest } from './test-bot.js';
import { waitFor } from './wait-for.js';

// What CI and a person's browser do over the HTTP API, for every e2e suite alike: publish an artifact, read a
// promotion's status, wait for one.

export type ArtifactToPublish = {
  readonly version: string;
  readonly service?: string;
  readonly digest?: string;
  readonly commit?: string;
};

/** POST /api/artifacts (202 expected); the new promotion's id. */
export async function publishArtifact(api: Api, artifact: ArtifactToPublish): Promise<string> {
  const response = await api('POST', '/api/artifacts', {
    service: artifact.service ?? 'checkout',
    version: artifact.version,
    digest: artifact.digest ?? nextDigest(),
    ...(artifact.commit ? { commit: artifact.commit } : {}),
  });
  expect(response.status).toBe(202);
  return response.body.id;
}

export async function promotionStatus(api: Api, id: string): Promise<string> {
  return (await api('GET', `/api/promotions/${id}`)).body.status;
}

/** Until the promotion's status is `status`; the promotion as the API shows it then. */
export async function waitForStatus(
  api: Api,
  id: string,
  status: string,
  timeoutMs = 15_000,
  // biome-ignore lint/suspicious/noExplicitAny: tests read the API's JSON field by field and assert on it
): Promise<any> {
  return waitFor(
    `promotion ${id} to be ${status}`,
    async () => {
      const response = await api('GET', `/api/promotions/${id}`);
      return response.body?.status === status ? response.body : undefined;
    },
    timeoutMs,
  );
}
