import { describe, expect, it } from 'vitest';
import {
  decodeRejectModalMetadata,
  encodeRejectModalMetadata,
} from '../../../src/slack/blocks/reject-modal-metadata.js';

const RESPONSE_URL = 'https://hooks.slack.com/actions/T0TEAM/1234/abcd';

describe('the reject modal metadata', () => {
  it('carries the promotion id and the click’s response URL there and back', () => {
    const encoded = encodeRejectModalMetadata({ promotionId: 'p-42', responseUrl: RESPONSE_URL });
    expect(decodeRejectModalMetadata(encoded)).toEqual({ promotionId: 'p-42', responseUrl: RESPONSE_URL });
  });

  it('is the bare promotion id without a response URL, as modals opened by earlier versions are', () => {
    expect(encodeRejectModalMetadata({ promotionId: 'p-42' })).toBe('p-42');
    expect(decodeRejectModalMetadata('p-42')).toEqual({ promotionId: 'p-42' });
  });

  it.each([
    ['an empty string', ''],
    ['a malformed id', 'p 42; drop'],
    ['JSON with a bad id', JSON.stringify({ promotionId: '../x', responseUrl: RESPONSE_URL })],
    ['a URL that is not http', JSON.stringify({ promotionId: 'p-42', responseUrl: 'file:///etc/passwd' })],
    ['extra fields', JSON.stringify({ promotionId: 'p-42', admin: true })],
    ['broken JSON', '{"promotionId":'],
  ])('refuses %s', (_what, value) => {
    expect(decodeRejectModalMetadata(value)).toBeUndefined();
  });
});
