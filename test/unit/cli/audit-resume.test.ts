import { describe, expect, it } from 'vitest';
import { resumePoint } from '../../../src/cli/audit-resume.js';

const line = (id: string) => `${JSON.stringify({ id, service: 'checkout', type: 'published' })}\n`;

describe('resuming an export into a file', () => {
  it('starts from the beginning of an empty file', () => {
    expect(resumePoint(Buffer.alloc(0), 0)).toEqual({ ok: true, keep: 0 });
  });

  it('goes on after the id of the last line, keeping the whole file', () => {
    const text = line('checkout:1-0') + line('checkout:2-0');

    expect(resumePoint(Buffer.from(text), 0)).toEqual({
      ok: true,
      keep: Buffer.byteLength(text),
      after: 'checkout:2-0',
    });
  });

  it('drops a last line cut short by a killed export and goes on after the complete one before it', () => {
    const complete = line('checkout:1-0') + line('checkout:2-0');
    const text = `${complete}{"id":"checkout:3-0","serv`;

    expect(resumePoint(Buffer.from(text), 0)).toEqual({
      ok: true,
      keep: Buffer.byteLength(complete),
      after: 'checkout:2-0',
    });
  });

  it('drops a single line cut short, starting again from the beginning', () => {
    expect(resumePoint(Buffer.from('{"id":"chec'), 0)).toEqual({ ok: true, keep: 0 });
  });

  it('counts from where the tail starts in the file', () => {
    const tail = Buffer.from(`ignored-part-of-a-line\n${line('checkout:9-1')}`);

    expect(resumePoint(tail, 1000)).toEqual({ ok: true, keep: 1000 + tail.length, after: 'checkout:9-1' });
  });

  it('refuses a file whose last line is not an audit entry, rather than guess', () => {
    const result = resumePoint(Buffer.from('hello world\n'), 0);

    expect(result).toEqual({
      ok: false,
      message: 'its last line is not an audit entry with an id: hello world',
    });
  });

  it('refuses a tail with no line end in it', () => {
    expect(resumePoint(Buffer.from('x'.repeat(10)), 5).ok).toBe(false);
  });
});
