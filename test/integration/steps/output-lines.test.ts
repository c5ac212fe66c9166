import { describe, expect, it } from 'vitest';
import { cleanLine, createOutputTail, headLines } from '../../../src/steps/output-lines.js';

describe('the output tail', () => {
  it('interleaves whole lines of both streams in the order they complete', () => {
    const tail = createOutputTail();

    tail.write('stdout', 'step 1\nstep');
    tail.write('stderr', 'warning: slow\n');
    tail.write('stdout', ' 2\n');

    expect(tail.end()).toEqual(['step 1', 'warning: slow', 'step 2']);
  });

  it('keeps the last lines only', () => {
    const tail = createOutputTail(3);

    tail.write('stdout', 'a\nb\nc\nd\ne\n');

    expect(tail.end()).toEqual(['c', 'd', 'e']);
  });

  it('keeps an unterminated last line and drops carriage returns', () => {
    const tail = createOutputTail();

    tail.write('stdout', 'windows line\r\nno newline at the end');

    expect(tail.end()).toEqual(['windows line', 'no newline at the end']);
  });

  it('holds a bounded start of a line that never ends', () => {
    const tail = createOutputTail();

    for (let chunk = 0; chunk < 1_000; chunk += 1) tail.write('stdout', 'x'.repeat(1_000));

    expect(tail.end()).toEqual([`${'x'.repeat(299)}…`]);
  });
});

describe('cleanLine', () => {
  it('strips colours and control characters but keeps tabs', () => {
    expect(cleanLine('\u001b[31mred\u001b[0m\tok\u0007\u0000')).toBe('red\tok');
  });

  it('cuts a long line to 300 characters and marks the cut', () => {
    const line = cleanLine('y'.repeat(500));

    expect(line).toHaveLength(300);
    expect(line.endsWith('…')).toBe(true);
  });
});

describe('headLines', () => {
  it('returns the first lines without trailing blank ones', () => {
    expect(headLines('{\n  "ok": true\n}\n\n', 10)).toEqual(['{', '  "ok": true', '}']);
    expect(headLines('1\n2\n3\n4', 2)).toEqual(['1', '2']);
  });
});
