import { createReadMarks } from '@promotion-bot/standin/page/unread.js';
import { describe, expect, it } from 'vitest';

// The stand-in page's sidebar counts, like Slack's unread badges: what arrived since the person last looked.

const channel = (...ts: string[]) => ({ id: 'C0DEPLOYS', messages: ts.map((t) => ({ ts: t })) });

describe("the stand-in page's unread counts", () => {
  it('counts every message of a channel the person has never opened', () => {
    expect(createReadMarks().unread('U0DEMO', channel('1733212345.000100', '1733212346.000100'))).toBe(2);
  });

  it('clears the count when the person looks, and counts only what arrives afterwards', () => {
    const reads = createReadMarks();
    reads.look('U0DEMO', channel('1733212345.000100', '1733212345.000200'));
    expect(reads.unread('U0DEMO', channel('1733212345.000100', '1733212345.000200'))).toBe(0);
    expect(
      reads.unread('U0DEMO', channel('1733212345.000100', '1733212345.000200', '1733212345.000300')),
    ).toBe(1);
  });

  it('keeps each person their own marks and each channel its own', () => {
    const reads = createReadMarks();
    reads.look('U0DEMO', channel('1733212345.000100'));
    expect(reads.unread('U0SAM', channel('1733212345.000100'))).toBe(1);
    expect(reads.unread('U0DEMO', { id: 'C0ALERTS', messages: [{ ts: '1733212345.000100' }] })).toBe(1);
  });

  it('orders messages of the same second by the sequence after the dot', () => {
    const reads = createReadMarks();
    reads.look('U0DEMO', channel('1733212345.000009'));
    expect(reads.unread('U0DEMO', channel('1733212345.000009', '1733212345.000010'))).toBe(1);
  });
});
