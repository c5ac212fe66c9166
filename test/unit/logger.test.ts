import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, log: createLogger({ level: 'info', destination }) };
}

describe('the logger', () => {
  it('redacts tokens, signing secrets and Authorization headers wherever they are logged', () => {
    const { lines, log } = capture();

    log.info(
      {
        token: 'xoxb-secret-1',
        env: {
          slackBotToken: 'xoxb-secret-2',
          slackSigningSecret: 'sign-secret-3',
          promotionApiToken: 'api-secret-4',
        },
        req: { headers: { authorization: 'Bearer api-secret-5', 'x-slack-signature': 'v0=secret-6' } },
        headers: { authorization: 'Bearer api-secret-7' },
        promotionId: 'p1',
      },
      'request',
    );

    const line = lines.join('');
    for (const secret of [
      'xoxb-secret-1',
      'xoxb-secret-2',
      'sign-secret-3',
      'api-secret-4',
      'api-secret-5',
      'secret-6',
      'api-secret-7',
    ]) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('[redacted]');
    expect(JSON.parse(line)).toMatchObject({ promotionId: 'p1', msg: 'request', app: 'promotion-bot' });
  });
});
