// The external upload flow: files.getUploadURLExternal, (the POST to upload_url: see upload-url.ts) and
// files.completeUploadExternal, which shares the files into a channel or thread.
import type { Payload, StoredFileRef, UploadedFile } from '../types.js';
import { failure, type MethodContext, type MethodHandler, postableChannel, stringArg } from './context.js';

export const getUploadURLExternal: MethodHandler = (args, context) => {
  const filename = stringArg(args, 'filename');
  const length = Number(args.length);
  if (!filename) return failure('invalid_arguments', ['missing required field: filename']);
  if (!Number.isInteger(length) || length < 0)
    return failure('invalid_arguments', ['missing required field: length']);
  const file = context.files.reserve(filename, length);
  return { ok: true, upload_url: `${context.baseUrl}/upload/${file.id}`, file_id: file.id };
};

export const completeUploadExternal: MethodHandler = (args, context) => {
  const entries: unknown = args.files;
  if (!Array.isArray(entries) || entries.length === 0) {
    return failure('invalid_arguments', ['missing required field: files']);
  }
  const files: UploadedFile[] = [];
  for (const entry of entries) {
    const file = typeof entry?.id === 'string' ? context.files.get(entry.id) : undefined;
    if (!file?.content || file.completed) return failure('file_not_found');
    files.push(typeof entry.title === 'string' ? { ...file, title: entry.title } : file);
  }
  const channels = channelsOf(args);
  for (const channel of channels) {
    const lookup = postableChannel(channel, context);
    if ('error' in lookup) return lookup.error;
  }
  const threadTs = stringArg(args, 'thread_ts');
  const comment = stringArg(args, 'initial_comment');
  const completed = files.map((file) => complete(file, channels[0], threadTs, comment));
  for (const file of completed) context.files.save(file);
  for (const channel of channels) share(completed, channel, threadTs, comment, context);
  return { ok: true, files: completed.map((file) => describeFile(file, channels, context)) };
};

function channelsOf(args: Payload): string[] {
  const single = stringArg(args, 'channel_id');
  if (single) return [single];
  return (stringArg(args, 'channels') ?? '').split(',').filter((c) => c !== '');
}

function complete(
  file: UploadedFile,
  channel: string | undefined,
  threadTs: string | undefined,
  comment: string | undefined,
): UploadedFile {
  return {
    ...file,
    completed: true,
    ...(channel === undefined ? {} : { channel_id: channel }),
    ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    ...(comment === undefined ? {} : { initial_comment: comment }),
  };
}

function share(
  files: UploadedFile[],
  channel: string,
  threadTs: string | undefined,
  comment: string | undefined,
  context: MethodContext,
): void {
  const lookup = postableChannel(channel, context);
  if ('error' in lookup) return;
  const refs: StoredFileRef[] = files.map((f) => ({
    id: f.id,
    name: f.filename,
    title: f.title ?? f.filename,
  }));
  context.messages.post({
    channel: lookup.channel.id,
    text: comment ?? '',
    blocks: [],
    attachments: [],
    files: refs,
    ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
  });
}

function describeFile(file: UploadedFile, channels: string[], context: MethodContext): Payload {
  return {
    id: file.id,
    created: Math.floor(Date.now() / 1000),
    name: file.filename,
    title: file.title ?? file.filename,
    mimetype: '',
    filetype: 'text',
    user: 'UBOT',
    size: file.content?.length ?? file.length,
    permalink: `${context.directory.teamUrl}files/UBOT/${file.id}/${encodeURIComponent(file.filename)}`,
    channels,
  };
}
