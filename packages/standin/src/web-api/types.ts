// The public shapes of the fake Slack Web API: what a test (or the demo's stand-in) configures, records and reads.
import type { RequestListener } from 'node:http';

// biome-ignore lint/suspicious/noExplicitAny: tests read Slack payloads field by field and assert on them
export type Payload = Record<string, any>;

/** What an injected fault does to a call instead of (or before) answering it. */
export type Fault =
  | { readonly status: number } // an HTTP error (500, 502, 503, …) with no Slack body
  | { readonly error: string } // HTTP 200 `{ ok: false, error }`
  | { readonly ratelimit: number } // HTTP 429 with `Retry-After: <seconds>`
  | { readonly hangMs: number }; // answers normally, but only after this delay (the call still takes effect)

/**
 * A fault target: a Web API method name, `'*'` for every Web API method, or one of the two pseudo-methods
 * `'response_url'` (posts to response URLs) and `'upload'` (the file upload POST).
 */
export type FaultTarget = string;

export type RecordedCall = {
  readonly method: string;
  /** The arguments as Slack reads them: form fields and JSON bodies alike, JSON-string fields decoded. */
  readonly args: Payload;
  /** When the request arrived (ms since the epoch). */
  readonly at: number;
  readonly status: number;
  readonly ok: boolean;
  readonly error?: string;
  /** The JSON body sent back (absent for bodiless HTTP errors). */
  readonly response?: Payload;
  readonly fault?: Fault;
  readonly contentType: string;
};

export type StoredFileRef = { readonly id: string; readonly name: string; readonly title: string };

export type StoredMessage = {
  readonly channel: string;
  readonly ts: string;
  readonly thread_ts?: string;
  readonly text: string;
  readonly blocks: Payload[];
  readonly attachments: Payload[];
  readonly metadata?: Payload;
  readonly files?: StoredFileRef[];
  readonly reply_broadcast?: boolean;
  /** How many times chat.update (or a replace_original response) changed it. */
  readonly edits: number;
  /** Who posted it: the bot's user id `UBOT`, or a person's (`postAsUser`). */
  readonly user: string;
  /** The bot's `BBOT`; empty for a person's message. */
  readonly bot_id: string;
};

export type EphemeralMessage = {
  readonly channel: string;
  readonly user: string;
  readonly ts: string;
  readonly thread_ts?: string;
  readonly text: string;
  readonly blocks: Payload[];
  readonly source: 'chat.postEphemeral' | 'response_url';
};

export type ResponseUrlTarget = {
  /** The channel the slash command or the clicked message was in. */
  readonly channel?: string;
  /** The message whose button was clicked: `replace_original` edits it, `delete_original` deletes it. */
  readonly messageTs?: string;
  /** The person who typed the command or clicked: ephemeral responses are shown to them. */
  readonly userId?: string;
};

export type RecordedResponse = {
  readonly id: string;
  readonly at: number;
  readonly body: Payload;
  readonly response_type?: 'ephemeral' | 'in_channel';
  readonly replace_original: boolean;
  readonly delete_original: boolean;
  readonly status: number;
  readonly ok: boolean;
  readonly error?: string;
};

export type BlockError = {
  readonly method: string;
  /** Slack's error code: invalid_blocks, invalid_blocks_format, invalid_arguments, msg_too_long, no_text, … */
  readonly error: string;
  /** Slack-style messages: `must be less than 76 characters [json-pointer:/blocks/0/accessory/text/text]`. */
  readonly errors: string[];
  readonly at: number;
};

export type StoredView = {
  readonly id: string;
  readonly type: 'modal' | 'home';
  /** The view as Slack returns it (id, hash, state, blocks, …). */
  readonly view: Payload;
  readonly userId?: string;
  readonly triggerId?: string;
  readonly updates: number;
};

export type UploadedFile = {
  readonly id: string;
  readonly filename: string;
  readonly title?: string;
  /** The length the bot declared in files.getUploadURLExternal. */
  readonly length: number;
  readonly content?: Buffer;
  readonly completed: boolean;
  readonly channel_id?: string;
  readonly thread_ts?: string;
  readonly initial_comment?: string;
};

export type FakeChannel = {
  readonly id: string;
  readonly name: string;
  readonly isPrivate?: boolean;
  /**
   * Whether the bot is in it (default true). Where it is not, posting, editing and reading history answer
   * `not_in_channel`; a private channel the bot is not in is invisible to it (`channel_not_found`), as in Slack.
   */
  readonly isMember?: boolean;
  readonly isArchived?: boolean;
  /** The people in it (default: every user of the workspace); `chat.postEphemeral` to others: `user_not_in_channel`. */
  readonly members?: readonly string[];
};

export type FakeUser = { readonly id: string; readonly name: string; readonly realName?: string };

export type FakeSlackOptions = {
  /** The bot token the fake accepts (default `xoxb-test-token`). */
  readonly token?: string;
  /**
   * chat.postMessage's average rate per channel (default 1 a second, like Slack), with short bursts of up to
   * `postBurst` more allowed as long as the average holds.
   */
  readonly postsPerSecondPerChannel?: number;
  /** How many posts over the per-second rate a channel may take in a short burst (default 2). */
  readonly postBurst?: number;
  /**
   * Slack's per-method rate tiers, shared across the workspace (default on, with Slack's numbers). `false`
   * turns them off (chat.postMessage's per-channel limit stays).
   */
  readonly rateTiers?: false;
  /** The length of a rate-limit "minute" in ms (default 60 000; tests shorten it). */
  readonly rateWindowMs?: number;
  /**
   * The bot token's granted scopes; a method that needs another answers `missing_scope`. Nothing is implied: an
   * app's are the bot scopes of its manifest (`manifestBotScopes`).
   */
  readonly scopes: readonly string[];
  /** How long a response_url works (default 30 minutes, like Slack; it also takes at most 5 posts). */
  readonly responseUrlTtlMs?: number;
  readonly teamId?: string;
  readonly teamDomain?: string;
  /** User-group id -> member ids, for usergroups.users.list. */
  readonly usergroups?: Readonly<Record<string, readonly string[]>>;
  /** The channels that exist (default none: then only the DMs of known users do). */
  readonly channels?: readonly FakeChannel[];
  /** When given, only these users exist for users.info; otherwise any user-like id does. */
  readonly users?: readonly FakeUser[];
  /** The port to listen on, on 127.0.0.1 (default 0: a free one). */
  readonly port?: number;
  /** Answers requests outside /api, /response and /upload (the stand-in's page); 404 without it. */
  readonly fallback?: RequestListener;
};

/** Where the fake sends Events API requests (a Slack app's Request URL), signed with the app's signing secret. */
export type EventsTarget = { readonly url: string; readonly signingSecret: string };

export type DeliveredEvent = {
  /** The `event_callback` envelope as sent. */
  readonly envelope: Payload;
  readonly event: Payload;
  readonly at: number;
  /** The bot's HTTP status (0 when the request failed). */
  readonly status: number;
  readonly ok: boolean;
  /** Why the request failed, when it did not reach the bot. */
  readonly error?: string;
};

export type CallListener = (call: RecordedCall) => void;

/** A Web API call the fake has received and not answered yet (a `hangMs` fault holds it). */
export type InFlightCall = { readonly method: string; readonly args: Payload; readonly at: number };

export type FakeSlack = {
  /** What the bot gets as SLACK_API_URL: `http://127.0.0.1:PORT/api/`. */
  readonly apiUrl: string;
  /** The fake's base URL, `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Every request, in arrival order: Web API methods plus the pseudo-methods `response_url` and `upload`. */
  readonly calls: readonly RecordedCall[];
  /** Every POST to a response URL. */
  readonly responses: readonly RecordedResponse[];
  /** Every message or view Slack would have refused; a test asserts `toEqual([])`. */
  readonly blockErrors: readonly BlockError[];
  /** How many HTTP 429s the fake has sent (rate tiers, the per-channel limit and injected ratelimit faults). */
  readonly rateLimited: number;
  /** Every Events API request the fake sent to the `deliverEventsTo` target, in order. */
  readonly events: readonly DeliveredEvent[];
  callsTo(method: string): RecordedCall[];
  /** The first call to `method` that arrives (or has arrived) and is not answered yet, that `predicate` accepts. */
  waitForInFlight(
    method: string,
    predicate?: (call: InFlightCall) => boolean,
    timeoutMs?: number,
  ): Promise<InFlightCall>;
  /** Top-level messages (after edits and deletions), oldest first; every channel's when none is given. */
  messages(channel?: string): StoredMessage[];
  message(channel: string, ts: string): StoredMessage | undefined;
  /** The replies in the thread under `ts`, oldest first (without the parent). */
  thread(channel: string, ts: string): StoredMessage[];
  ephemerals(channel?: string): EphemeralMessage[];
  views(): StoredView[];
  view(id: string): StoredView | undefined;
  homeView(userId: string): StoredView | undefined;
  files(): UploadedFile[];
  /** A response_url on the fake; `target` says which message and person it belongs to. */
  responseUrl(id?: string, target?: ResponseUrlTarget): string;
  /** A trigger id the fake tracks: valid for 3 s and usable once, like Slack's; a modal it opens is `userId`'s. */
  triggerId(userId?: string): string;
  setUsergroup(id: string, users: readonly string[]): void;
  addChannel(channel: FakeChannel): void;
  addUser(user: FakeUser): void;
  /** Sends Events API requests (member_joined_channel) to `target` from now on. */
  deliverEventsTo(target: EventsTarget): void;
  /**
   * Someone adds the bot to `channel`; with an events target, resolves once the bot answered the signed
   * `member_joined_channel` event (the delivery, also recorded in `events`).
   */
  inviteBot(channel: string, inviter?: string): Promise<DeliveredEvent | undefined>;
  /** Someone removes the bot from `channel`: posting there answers `not_in_channel`. */
  removeBot(channel: string): void;
  archiveChannel(channel: string): void;
  /** `user` joins `channel`; with an events target, the bot is sent `member_joined_channel` for them. */
  addMember(channel: string, user: string, inviter?: string): Promise<DeliveredEvent | undefined>;
  removeMember(channel: string, user: string): void;
  /** A person deletes the message: later chat.update and chat.delete on it answer `message_not_found`. */
  deleteMessage(channel: string, ts: string): void;
  /** A person's message (the bot cannot edit it: `cant_update_message`); `threadTs` makes it a reply. */
  postAsUser(channel: string, userId: string, text: string, threadTs?: string): StoredMessage;
  /** The most chat.postMessage calls to `channel` it accepted within any one second. */
  maxPostsPerSecond(channel: string): number;
  /** The next `count` calls to `target` (that `when` accepts, given their arguments) fail with `fault`. */
  failNext(target: FaultTarget, count: number, fault: Fault, when?: (args: Payload) => boolean): void;
  failFor(ms: number, fault: Fault, target?: FaultTarget): void;
  clearFaults(): void;
  /** Calls `listener` with each call as it is recorded; returns the unsubscribe function. */
  onCall(listener: CallListener): () => void;
  /** The first recorded call (past or future) to `method` that `predicate` accepts. */
  waitForCall(
    method: string,
    predicate?: (call: RecordedCall) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedCall>;
  /** The first top-level message or reply in `channel` that `predicate` accepts. */
  waitForMessage(
    channel: string,
    predicate: (message: StoredMessage) => boolean,
    timeoutMs?: number,
  ): Promise<StoredMessage>;
  /** Forgets calls, messages, views, files, responses, faults and rate-limit history. */
  reset(): void;
  close(): Promise<void>;
};
