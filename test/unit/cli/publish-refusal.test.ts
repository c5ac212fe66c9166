import { describe, expect, it } from 'vitest';
import { refusalLines } from '../../../src/cli/publish.js';

describe('what publish prints when the bot refuses', () => {
  it("prints the server's message, then each issue it named", () => {
    const body = JSON.stringify({
      error: 'invalid artifact',
      issues: [
        { path: 'digest', message: 'digest must be "sha256:" followed by 64 lowercase hex digits' },
        { path: '(body)', message: 'Unexpected token' },
      ],
    });

    expect(refusalLines(400, body)).toEqual([
      'publish failed: HTTP 400: invalid artifact',
      '  digest: digest must be "sha256:" followed by 64 lowercase hex digits',
      '  Unexpected token',
    ]);
  });

  it('prints the start of a body that is not the API’s JSON (a proxy’s page), and the status alone for none', () => {
    expect(refusalLines(502, `<html>Bad Gateway</html>${'x'.repeat(1000)}`)).toEqual([
      `publish failed: HTTP 502: <html>Bad Gateway</html>${'x'.repeat(476)}`,
    ]);
    expect(refusalLines(503, '')).toEqual(['publish failed: HTTP 503']);
  });
});
