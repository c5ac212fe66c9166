// The POST of a file's bytes to the upload_url that files.getUploadURLExternal handed out.
import { boundaryOf, parseMultipart } from './multipart.js';
import { applyFault, headerOf, type IncomingCall, type Reply, textReply } from './reply.js';
import type { Runtime } from './runtime.js';

export async function handleUpload(runtime: Runtime, fileId: string, call: IncomingCall): Promise<Reply> {
  const at = Date.now();
  const contentType = headerOf(call, 'content-type');
  const fault = runtime.faults.take('upload');
  const content = contentOf(call.body, contentType);
  const reply = (await applyFault(runtime, fault)) ?? store(runtime, fileId, content);
  runtime.record({
    method: 'upload',
    args: { file_id: fileId, filename: runtime.files.get(fileId)?.filename, length: content.length },
    at,
    status: reply.status,
    ok: reply.status === 200,
    ...(fault === undefined ? {} : { fault }),
    contentType,
  });
  return reply;
}

function store(runtime: Runtime, fileId: string, content: Buffer): Reply {
  const file = runtime.files.get(fileId);
  if (!file) return textReply(404, 'file_not_found');
  runtime.files.save({ ...file, content });
  return textReply(200, `OK - ${content.length}`);
}

/** @slack/web-api posts the bytes as a multipart file part; raw bodies are taken as they come. */
function contentOf(body: Buffer, contentType: string): Buffer {
  const boundary = contentType.toLowerCase().startsWith('multipart/form-data')
    ? boundaryOf(contentType)
    : undefined;
  if (boundary === undefined) return body;
  const parts = parseMultipart(body, boundary);
  const part = parts.find((p) => p.filename !== undefined) ?? parts[0];
  return part?.data ?? Buffer.alloc(0);
}
