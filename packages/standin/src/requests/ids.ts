// The workspace every built payload claims to come from, and ids shaped like Slack's.
import { randomBytes } from 'node:crypto';

export const TEAM_ID = 'T0TEST';
export const TEAM_DOMAIN = 'promotion-test';
export const API_APP_ID = 'A0PROMOTION';
/** The deprecated verification token Slack still puts in every payload. */
export const VERIFICATION_TOKEN = 'fake-verification-token';

/** A trigger id shaped like Slack's (`<ms>.<team number>.<hex>`). */
export function newTriggerId(): string {
  return `${Date.now()}.${Number.parseInt(randomBytes(4).toString('hex'), 16)}.${randomBytes(16).toString('hex')}`;
}

/** `1700000000.123456`-style action and event timestamps. */
export function nowTs(): string {
  const micros = Date.now() * 1000 + Math.floor(Math.random() * 1000);
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

/** Slack gives a block without a block_id a random one (`2WGp9`); a bot must not rely on it. */
export function randomBlockId(): string {
  return randomBytes(4).toString('base64url').slice(0, 5);
}
