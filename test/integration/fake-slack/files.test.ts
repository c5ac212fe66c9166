import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack/index.js';
import { CHANNELS, webClient } from './web-client.js';

describe('fake Slack file uploads', () => {
  let fake: FakeSlack;

  beforeEach(async () => {
    fake = await startFakeSlack({ channels: CHANNELS });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('takes a file through getUploadURLExternal, the upload POST and completeUploadExternal', async () => {
    const client = webClient(fake);
    const parent = await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'checkout 1.4.2 failed' });

    const result = await client.filesUploadV2({
      channel_id: 'C0DEPLOYS',
      thread_ts: parent.ts ?? '',
      initial_comment: 'Deploy output',
      filename: 'deploy.log',
      title: 'deploy.log',
      content: 'line 1\nline 2\nimage pull backoff\n',
    });

    expect(result.ok).toBe(true);
    expect(fake.calls.map((c) => c.method)).toEqual([
      'chat.postMessage',
      'files.getUploadURLExternal',
      'upload',
      'files.completeUploadExternal',
    ]);
    const [file] = fake.files();
    expect(file).toMatchObject({
      filename: 'deploy.log',
      title: 'deploy.log',
      completed: true,
      channel_id: 'C0DEPLOYS',
      thread_ts: parent.ts,
      initial_comment: 'Deploy output',
    });
    expect(file?.content?.toString('utf8')).toBe('line 1\nline 2\nimage pull backoff\n');
    expect(fake.thread('C0DEPLOYS', parent.ts ?? '')).toMatchObject([
      { text: 'Deploy output', files: [{ id: file?.id, name: 'deploy.log' }] },
    ]);
  });

  it('hands out an upload URL on the fake itself', async () => {
    const client = webClient(fake);

    const reserved = await client.files.getUploadURLExternal({ filename: 'a.txt', length: 3 });

    expect(reserved.upload_url).toBe(`${fake.url}/upload/${reserved.file_id}`);
  });

  it('refuses to complete a file whose bytes never arrived', async () => {
    const client = webClient(fake);
    const reserved = await client.files.getUploadURLExternal({ filename: 'a.txt', length: 3 });

    const completing = client.files.completeUploadExternal({
      files: [{ id: reserved.file_id ?? '' }],
      channel_id: 'C0DEPLOYS',
    });

    await expect(completing).rejects.toMatchObject({ data: { error: 'file_not_found' } });
  });
});
