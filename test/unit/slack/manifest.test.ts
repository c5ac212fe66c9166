import { readFileSync } from 'node:fs';
import { APP_MANIFEST_SCHEMA } from '@promotion-bot/standin/slack-reference';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The app manifests a Slack admin installs from, checked against Slack's published v1 manifest schema.

const ROOT = new URL('../../../', import.meta.url);
const schema = JSON.parse(readFileSync(APP_MANIFEST_SCHEMA, 'utf8'));
const COMMANDS = ['/promote', '/hold', '/unhold', '/rollback', '/promotions'];

function manifest(file: string) {
  return parse(readFileSync(new URL(file, ROOT), 'utf8'));
}

function validate(value: unknown) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const check = ajv.compile(schema);
  return { valid: check(value), errors: check.errors ?? [] };
}

describe.each(['manifest.yml', 'manifest.socket-mode.yml'])('%s', (file) => {
  it('is valid against Slack’s v1 app manifest schema', () => {
    const result = validate(manifest(file));
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('declares the five slash commands, interactivity, the App Home event and member_joined_channel', () => {
    const app = manifest(file);
    expect(app.features.slash_commands.map((command: { command: string }) => command.command)).toEqual(
      COMMANDS,
    );
    expect(app.settings.interactivity.is_enabled).toBe(true);
    expect(app.settings.event_subscriptions.bot_events).toEqual(['app_home_opened', 'member_joined_channel']);
    expect(app.features.app_home.home_tab_enabled).toBe(true);
  });

  it('asks only for the scopes the bot uses', () => {
    expect(manifest(file).oauth_config.scopes.bot).toEqual([
      'chat:write',
      'commands',
      'files:write',
      'usergroups:read',
      'channels:read',
      'groups:read',
      'channels:history',
      'groups:history',
    ]);
  });
});

describe('the manifests', () => {
  it('point every HTTP-mode URL at /slack/events, and the Socket Mode one at none', () => {
    const http = manifest('manifest.yml');
    const urls = [
      ...http.features.slash_commands.map((command: { url: string }) => command.url),
      http.settings.interactivity.request_url,
      http.settings.event_subscriptions.request_url,
    ];
    expect(urls.every((url: string) => url.endsWith('/slack/events'))).toBe(true);
    expect(http.settings.socket_mode_enabled).toBe(false);
    const socket = manifest('manifest.socket-mode.yml');
    expect(JSON.stringify(socket)).not.toContain('request_url');
    expect(socket.settings.socket_mode_enabled).toBe(true);
  });

  it('is rejected by the schema when it is broken, so the check above can fail', () => {
    const broken = { ...manifest('manifest.yml'), display_information: { name: '' }, unexpected: true };
    expect(validate(broken).valid).toBe(false);
  });
});
