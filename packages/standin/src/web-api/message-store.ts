// The channels' contents: messages (edited in place), thread replies and ephemeral messages, with Slack-style
// timestamps that are unique and increasing (`1700000000.000100`, microseconds after the dot).
import type { EphemeralMessage, Payload, StoredFileRef, StoredMessage } from './types.js';

export const BOT_USER_ID = 'UBOT';
export const BOT_ID = 'BBOT';

export type NewMessage = {
  readonly channel: string;
  readonly text: string;
  readonly blocks: Payload[];
  readonly attachments: Payload[];
  readonly thread_ts?: string;
  readonly metadata?: Payload;
  readonly files?: StoredFileRef[];
  readonly reply_broadcast?: boolean;
  /** A person's message (default: the bot's). */
  readonly user?: string;
};

export type MessageChange = {
  readonly text?: string;
  readonly blocks?: Payload[];
  readonly attachments?: Payload[];
};

export type MessageStore = ReturnType<typeof createMessageStore>;

export function createMessageStore() {
  const messages = new Map<string, StoredMessage>();
  const ephemerals: EphemeralMessage[] = [];
  let lastMicros = 0;

  function nextTs(): string {
    lastMicros = Math.max(Date.now() * 1000, lastMicros + 100);
    const seconds = Math.floor(lastMicros / 1_000_000);
    return `${seconds}.${String(lastMicros % 1_000_000).padStart(6, '0')}`;
  }

  function key(channel: string, ts: string): string {
    return `${channel}/${ts}`;
  }

  function sorted(filter: (message: StoredMessage) => boolean): StoredMessage[] {
    return [...messages.values()].filter(filter).sort((a, b) => compareTs(a.ts, b.ts));
  }

  return {
    nextTs,
    post(message: NewMessage): StoredMessage {
      const ts = nextTs();
      // A reply to a reply joins the parent's thread, as in Slack.
      const parent = message.thread_ts ? messages.get(key(message.channel, message.thread_ts)) : undefined;
      const threadTs = parent?.thread_ts ?? message.thread_ts;
      const { user, ...content } = message;
      const stored: StoredMessage = {
        ...content,
        ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
        ts,
        edits: 0,
        user: user ?? BOT_USER_ID,
        bot_id: user === undefined ? BOT_ID : '',
      };
      messages.set(key(message.channel, ts), stored);
      return stored;
    },
    get(channel: string, ts: string): StoredMessage | undefined {
      return messages.get(key(channel, ts));
    },
    update(channel: string, ts: string, change: MessageChange): StoredMessage | undefined {
      const current = messages.get(key(channel, ts));
      if (!current) return undefined;
      const updated: StoredMessage = { ...current, ...definedOnly(change), edits: current.edits + 1 };
      messages.set(key(channel, ts), updated);
      return updated;
    },
    remove(channel: string, ts: string): boolean {
      return messages.delete(key(channel, ts));
    },
    /** Top-level messages (what conversations.history lists), oldest first. */
    topLevel(channel?: string): StoredMessage[] {
      return sorted(
        (m) =>
          (channel === undefined || m.channel === channel) &&
          (m.thread_ts === undefined || m.thread_ts === m.ts || m.reply_broadcast === true),
      );
    },
    /** The replies in a thread, oldest first, without the parent. */
    replies(channel: string, threadTs: string): StoredMessage[] {
      return sorted((m) => m.channel === channel && m.thread_ts === threadTs && m.ts !== threadTs);
    },
    addEphemeral(message: Omit<EphemeralMessage, 'ts'>): EphemeralMessage {
      const stored = { ...message, ts: nextTs() };
      ephemerals.push(stored);
      return stored;
    },
    ephemerals(channel?: string): EphemeralMessage[] {
      return ephemerals.filter((m) => channel === undefined || m.channel === channel);
    },
    clear(): void {
      messages.clear();
      ephemerals.length = 0;
    },
  };
}

function definedOnly(change: MessageChange): MessageChange {
  return Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
}

export function compareTs(a: string, b: string): number {
  const [aSeconds = '0', aMicros = '0'] = a.split('.');
  const [bSeconds = '0', bMicros = '0'] = b.split('.');
  return Number(aSeconds) - Number(bSeconds) || Number(aMicros) - Number(bMicros);
}
