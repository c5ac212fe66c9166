import { describe, expect, it } from 'vitest';
import { outlineStep, withoutCredentials } from '../../../src/domain/step-outline.js';
import { anHttpStep, aRunStep } from '../../support/pipeline-builder.js';

describe('a step as a plan shows it', () => {
  it('keeps the scheme, host and path of a URL and drops its user, password, query and fragment', () => {
    expect(withoutCredentials('https://u:p@deploy.internal:8443/v1/$VERSION?token=x#top')).toBe(
      'https://deploy.internal:8443/v1/$VERSION',
    );
    expect(withoutCredentials('http://hooks.internal/deploy')).toBe('http://hooks.internal/deploy');
    expect(withoutCredentials('hooks.internal/deploy?key=1')).toBe('hooks.internal/deploy');
  });

  it('drops a password that holds an "@" whole: the address starts after the last "@" before the path', () => {
    expect(new URL('https://ci:s3cr@t@deploy.internal/hook').hostname).toBe('deploy.internal');
    expect(withoutCredentials('https://ci:s3cr@t@deploy.internal/hook?x=1')).toBe(
      'https://deploy.internal/hook',
    );
    expect(withoutCredentials('https://deploy.internal/a@b')).toBe('https://deploy.internal/a@b');
  });

  it('gives a run step its command, timeout and retries, and an http step its method and address', () => {
    expect(outlineStep(aRunStep('./smoke.sh', { command: ['./smoke.sh', 'fast'], retries: 1 }))).toEqual({
      kind: 'run',
      command: './smoke.sh fast',
      timeoutMs: 300_000,
      retries: 1,
    });
    expect(
      outlineStep(anHttpStep('https://ci:s3cret@x.internal/a?b=c', { method: 'PUT', headers: { k: 'v' } })),
    ).toEqual({ kind: 'http', method: 'PUT', url: 'https://x.internal/a', timeoutMs: 60_000, retries: 0 });
  });
});
