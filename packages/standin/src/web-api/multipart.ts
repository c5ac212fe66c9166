// Just enough multipart/form-data parsing for what @slack/web-api sends (form-data's encoding of fields and files).

export type MultipartPart = {
  readonly name: string;
  readonly filename?: string;
  readonly contentType?: string;
  readonly data: Buffer;
};

export function boundaryOf(contentType: string): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = parsePart(body.subarray(start + delimiter.length, next));
    if (part) parts.push(part);
    start = next;
  }
  return parts;
}

function parsePart(raw: Buffer): MultipartPart | undefined {
  // Each part: CRLF, headers, CRLF CRLF, data, CRLF (before the next delimiter).
  const headerEnd = raw.indexOf('\r\n\r\n');
  if (headerEnd === -1) return undefined;
  const headers = raw.subarray(0, headerEnd).toString('utf8');
  const data = raw.subarray(headerEnd + 4, raw.length - 2);
  const name = /name="([^"]*)"/i.exec(headers)?.[1];
  if (name === undefined) return undefined;
  const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
  const contentType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1];
  return {
    name,
    data,
    ...(filename === undefined ? {} : { filename }),
    ...(contentType === undefined ? {} : { contentType }),
  };
}
