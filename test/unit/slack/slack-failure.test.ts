import { describe, expect, it } from 'vitest';
import { budgetOf, limitOf } from '../../../src/slack/notifier/method-limits.js';
import {
  backoffMs,
  classifySlackError,
  classifySlackFailure,
  unreachableAdvice,
} from '../../../src/slack/notifier/slack-failure.js';

// The errors as @slack/web-api throws them.
const platform = (error: string) => ({ code: 'slack_webapi_platform_error', data: { ok: false, error } });
const http = (statusCode: number) => ({ code: 'slack_webapi_http_error', statusCode });

describe('classifying what Slack answered', () => {
  it('reads Retry-After off a 429, in milliseconds, and waits at least a second when it is missing', () => {
    expect(classifySlackFailure({ code: 'slack_webapi_rate_limited_error', retryAfter: 20 })).toEqual({
      kind: 'rate-limited',
      code: 'ratelimited',
      retryAfterMs: 20_000,
    });
    expect(classifySlackFailure({ code: 'slack_webapi_rate_limited_error' })).toMatchObject({
      retryAfterMs: 1000,
    });
  });

  it('treats the network, 5xx and Slack’s own hiccups as transient', () => {
    expect(classifySlackFailure({ code: 'slack_webapi_request_error' })).toEqual({
      kind: 'transient',
      code: 'network',
    });
    for (const status of [500, 502, 503, 504, 408])
      expect(classifySlackFailure(http(status)).kind).toBe('transient');
    for (const error of ['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout'])
      expect(classifySlackFailure(platform(error)).kind).toBe('transient');
    expect(classifySlackFailure(new Error('socket hang up')).kind).toBe('transient');
  });

  it('knows the channel errors a person fixes by inviting the bot, unarchiving or allowing it to post', () => {
    for (const error of ['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action'])
      expect(classifySlackFailure(platform(error))).toEqual({ kind: 'channel-unreachable', code: error });
  });

  it('knows a message that is gone, which is posted again rather than edited', () => {
    for (const error of [
      'message_not_found',
      'cant_update_message',
      'edit_window_closed',
      'thread_not_found',
    ])
      expect(classifySlackError(error).kind).toBe('message-gone');
  });

  it('stops everything for a token Slack refuses, or a wrong address', () => {
    for (const error of ['invalid_auth', 'token_revoked', 'account_inactive', 'not_authed'])
      expect(classifySlackError(error).kind).toBe('workspace-blocked');
    expect(classifySlackFailure(http(404))).toEqual({ kind: 'workspace-blocked', code: 'http_404' });
  });

  it('holds back only the method the app may not call (a scope it lacks), not the whole workspace', () => {
    for (const error of ['missing_scope', 'no_permission'])
      expect(classifySlackFailure(platform(error))).toEqual({ kind: 'not-allowed', code: error });
  });

  it('drops a chart whose upload step answered 4xx, instead of taking it for a refused token', () => {
    expect(classifySlackFailure(http(413), 'files.getUploadURLExternal')).toEqual({
      kind: 'refused',
      code: 'http_413',
    });
    expect(classifySlackFailure(http(503), 'files.getUploadURLExternal').kind).toBe('transient');
  });

  it('drops one message Slack refused for good, and anything it does not know, rather than retry it', () => {
    for (const error of ['invalid_blocks', 'msg_too_long', 'no_text', 'invalid_arguments', 'something_new'])
      expect(classifySlackFailure(platform(error))).toEqual({ kind: 'refused', code: error });
  });
});

describe('what to tell the operator', () => {
  it('says what to do for each kind of unreachable channel', () => {
    expect(unreachableAdvice('C1', 'not_in_channel')).toContain('/invite @promotion-bot');
    expect(unreachableAdvice('C1', 'is_archived')).toContain('unarchive');
    expect(unreachableAdvice('C1', 'channel_not_found')).toContain('does not exist');
    expect(unreachableAdvice('C1', 'restricted_action')).toContain('posting permissions');
  });
});

describe('backoff and budgets', () => {
  it('doubles the wait after each transient failure, up to the cap', () => {
    expect([1, 2, 3, 4, 7, 100].map((n) => backoffMs(n, 1000, 60_000))).toEqual([
      1000, 2000, 4000, 8000, 60_000, 60_000,
    ]);
    expect(backoffMs(0, 1000, 60_000)).toBe(1000);
  });

  it('keeps part of every method’s minute for urgent messages, and stays under Slack’s figure', () => {
    expect(limitOf('chat.update').perMinute).toBe(50);
    expect(budgetOf('chat.update', true)).toBe(45);
    expect(budgetOf('chat.update', false)).toBe(35);
    expect(budgetOf('conversations.history', false)).toBeLessThan(budgetOf('conversations.history', true));
    expect(limitOf('some.method').perMinute).toBe(20);
    expect(budgetOf('some.method', false)).toBeGreaterThanOrEqual(1);
  });
});
