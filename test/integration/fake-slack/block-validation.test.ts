import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack/index.js';
import { CHANNELS, gateBlocks, webClient } from './web-client.js';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (text: string, value = 'p1') => ({
  type: 'actions',
  elements: [{ type: 'button', action_id: 'promotion.approve', text: { type: 'plain_text', text }, value }],
});

describe('fake Slack Block Kit validation', () => {
  let fake: FakeSlack;
  let client: WebClient;

  beforeAll(async () => {
    fake = await startFakeSlack({ channels: CHANNELS, postsPerSecondPerChannel: 1000 });
    client = webClient(fake);
  });

  beforeEach(() => {
    fake.reset();
  });

  afterAll(async () => {
    await fake.close();
  });

  async function postBlocks(blocks: unknown[]): Promise<unknown> {
    // apiCall: these blocks are deliberately outside what @slack/types allows.
    return client
      .apiCall('chat.postMessage', { channel: 'C0DEPLOYS', text: 'fallback', blocks })
      .catch((error) => error.data);
  }

  it('accepts a valid gate message and records no block errors', async () => {
    await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'gate', blocks: gateBlocks('p1') });

    expect(fake.blockErrors).toEqual([]);
  });

  it('rejects a message with 51 blocks', async () => {
    const result = await postBlocks(Array.from({ length: 51 }, (_, i) => section(`line ${i}`)));

    expect(result).toMatchObject({
      ok: false,
      error: 'invalid_blocks',
      errors: ['must be less than 51 items [json-pointer:/blocks]'],
    });
    expect(fake.messages()).toEqual([]);
  });

  it('rejects a button whose text has 76 characters', async () => {
    const result = await postBlocks([button('x'.repeat(76))]);

    expect(result).toMatchObject({
      error: 'invalid_blocks',
      errors: ['must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]'],
    });
  });

  it('rejects a section whose text has 3001 characters', async () => {
    const result = await postBlocks([section('y'.repeat(3001))]);

    expect(result).toMatchObject({
      errors: ['must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
    });
  });

  it('rejects an unknown block type', async () => {
    const result = await postBlocks([{ type: 'sparkle', text: 'hi' }]);

    expect(result).toMatchObject({ errors: ['unsupported type: sparkle [json-pointer:/blocks/0]'] });
  });

  it('rejects a header over 150 characters, a button value over 2000 and an action_id over 255', async () => {
    const result = await postBlocks([
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
      button('Approve', 'v'.repeat(2001)),
      {
        type: 'actions',
        block_id: 'b'.repeat(256),
        elements: [{ type: 'button', action_id: 'a'.repeat(256), text: { type: 'plain_text', text: 'Go' } }],
      },
    ]);

    expect(result).toMatchObject({
      errors: expect.arrayContaining([
        'must be less than 151 characters [json-pointer:/blocks/0/text/text]',
        'must be less than 2001 characters [json-pointer:/blocks/1/elements/0/value]',
        'must be less than 256 characters [json-pointer:/blocks/2/block_id]',
        'must be less than 256 characters [json-pointer:/blocks/2/elements/0/action_id]',
      ]),
    });
  });

  it('rejects duplicate block ids and duplicate action ids in one block', async () => {
    const result = await postBlocks([
      { ...section('a'), block_id: 'same' },
      { ...section('b'), block_id: 'same' },
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: 'go', text: { type: 'plain_text', text: 'A' } },
          { type: 'button', action_id: 'go', text: { type: 'plain_text', text: 'B' } },
        ],
      },
    ]);

    expect(result).toMatchObject({
      errors: [
        'duplicate block_id [json-pointer:/blocks/1/block_id]',
        'duplicate action_id: go [json-pointer:/blocks/2]',
      ],
    });
  });

  it('records every refused payload so a test can assert there were none', async () => {
    await postBlocks([section('z'.repeat(3001))]);
    await client.chat.update({ channel: 'C0DEPLOYS', ts: '1.000100', text: 'x' }).catch(() => undefined);

    expect(fake.blockErrors).toMatchObject([{ method: 'chat.postMessage', error: 'invalid_blocks' }]);
    expect(fake.callsTo('chat.postMessage')).toMatchObject([
      { ok: false, error: 'invalid_blocks', status: 200 },
    ]);
  });

  it('rejects a message with neither text nor blocks, and text over 40000 characters', async () => {
    const empty = await client.chat
      .postMessage({ channel: 'C0DEPLOYS', text: '' })
      .catch((error) => error.data);
    const long = await client.chat
      .postMessage({ channel: 'C0DEPLOYS', text: 'w'.repeat(40_001) })
      .catch((error) => error.data);

    expect(empty).toMatchObject({ ok: false, error: 'no_text' });
    expect(long).toMatchObject({ ok: false, error: 'msg_too_long' });
    expect(fake.blockErrors.map((e) => e.error)).toEqual(['no_text', 'msg_too_long']);
  });

  it('validates chat.update blocks too', async () => {
    const posted = await client.chat.postMessage({
      channel: 'C0DEPLOYS',
      text: 'gate',
      blocks: gateBlocks('p1'),
    });

    const result = await client.chat
      .update({ channel: 'C0DEPLOYS', ts: posted.ts ?? '', text: 'x', blocks: [button('')] })
      .catch((error) => error.data);

    expect(result).toMatchObject({ error: 'invalid_blocks' });
    expect(fake.message('C0DEPLOYS', posted.ts ?? '')).toMatchObject({ text: 'gate', edits: 0 });
  });

  it('validates modals: a title over 24 characters is refused like Slack refuses it', async () => {
    const result = await client.views
      .open({
        trigger_id: fake.triggerId(),
        view: {
          type: 'modal',
          callback_id: 'promotion.reject',
          title: { type: 'plain_text', text: 'Reject the production promotion' },
          submit: { type: 'plain_text', text: 'Reject' },
          blocks: [
            {
              type: 'input',
              block_id: 'reason',
              label: { type: 'plain_text', text: 'Reason' },
              element: { type: 'plain_text_input', action_id: 'reason', multiline: true },
            },
          ],
        },
      })
      .catch((error) => error.data);

    expect(result).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
      errors: ['must be less than 25 characters [json-pointer:/view/title/text]'],
    });
    expect(fake.blockErrors).toMatchObject([{ method: 'views.open', error: 'invalid_arguments' }]);
  });

  it('validates home tabs: at most 100 blocks', async () => {
    const blocks = Array.from({ length: 101 }, (_, i) => section(`row ${i}`));

    const result = await client.views
      .publish({ user_id: 'U0ALICE', view: { type: 'home', blocks } })
      .catch((error) => error.data);

    expect(result).toMatchObject({ errors: ['must be less than 101 items [json-pointer:/view/blocks]'] });
  });
});
