import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { toBoltLogger } from '../../src/slack/bolt-logger.js';

function capture(level = 'info') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, log: createLogger({ level, destination }) };
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

  it('logs errors as type, code, status and message only, masking secret-shaped text', () => {
    const { lines, log } = capture();
    const slackError = Object.assign(new Error('A request error occurred: connect ECONNREFUSED'), {
      code: 'slack_webapi_request_error',
      original: { config: { headers: { Authorization: 'Bearer xoxb-leak-1' } } },
    });
    const redisError = Object.assign(new Error('WRONGPASS invalid username-password pair'), {
      command: { name: 'auth', args: ['redis-password-2'] },
    });
    const replyError = new Error(
      'POST https://hooks.slack.com/actions/T1/123/secret-3 failed (xapp-1-leak-4)',
    );
    log.error({ err: slackError }, 'slack failed');
    log.error({ err: redisError }, 'redis failed');
    log.error({ err: replyError }, 'reply failed');
    log.error({ err: new Error('connect to redis://:pw-5@host:6379 failed') }, 'redis url');

    const text = lines.join('');
    for (const secret of ['xoxb-leak-1', 'redis-password-2', 'secret-3', 'xapp-1-leak-4', 'pw-5']) {
      expect(text).not.toContain(secret);
    }
    expect(JSON.parse(lines[0] ?? '{}').err).toEqual({
      type: 'Error',
      message: 'A request error occurred: connect ECONNREFUSED',
      code: 'slack_webapi_request_error',
    });
    expect(JSON.parse(lines[1] ?? '{}').err.message).toBe('WRONGPASS invalid username-password pair');
  });

  it('passes Bolt’s, the Web API’s and Socket Mode’s lines through the same masking', () => {
    const { lines, log } = capture('debug');
    const bolt = toBoltLogger(log);
    // An axios error serialises to its request: toJSON() is where `Bearer xoxb-…` used to come from.
    const axiosError = Object.assign(new Error('Request failed with status code 500'), {
      code: 'ERR_BAD_RESPONSE',
      status: 500,
      toJSON: () => ({ config: { headers: { Authorization: 'Bearer xoxb-leak-1' } } }),
    });

    bolt.error('An unhandled error occurred', axiosError);
    bolt.debug(
      'Received a message on the WebSocket: {"payload":{"response_url":"https://hooks.slack.com/commands/T1/2/secret-2"}}',
    );
    bolt.debug(
      'http request result: {"ok":true,"url":"wss://wss-primary.slack.com/link/?ticket=secret-3&app_id=A1"}',
    );
    bolt.warn('retrying with', { headers: { authorization: 'Bearer api-secret-4' } });

    const text = lines.join('');
    for (const secret of ['xoxb-leak-1', 'secret-2', 'secret-3', 'api-secret-4']) {
      expect(text).not.toContain(secret);
    }
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      component: 'bolt',
      msg: 'An unhandled error occurred {"type":"Error","message":"Request failed with status code 500","code":"ERR_BAD_RESPONSE","status":500}',
    });
    expect(JSON.parse(lines[2] ?? '{}').msg).toContain('ticket=[redacted]&app_id=A1');
  });
});
