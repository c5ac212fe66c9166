// Everything the page shows for one person, as JSON: the channels and their messages (threads under their
// parents), that person's ephemeral messages, their open modal and their App Home.
import type { StandinContext } from './standin-context.js';
import {
  BOT_USER_ID,
  dmChannelOf,
  type EphemeralMessage,
  type FakeSlack,
  type Payload,
  type StoredMessage,
} from './web-api/index.js';

export type PageMessage = {
  readonly ts: string;
  readonly user: string;
  readonly text: string;
  readonly blocks: readonly Payload[];
  readonly attachments: readonly Payload[];
  readonly edited: boolean;
  readonly files: readonly { readonly id: string; readonly name: string; readonly title: string }[];
  readonly replies: readonly PageMessage[];
};

export type PageChannel = {
  readonly id: string;
  readonly name: string;
  readonly direct: boolean;
  readonly messages: readonly PageMessage[];
};

export type PageEphemeral = Pick<EphemeralMessage, 'channel' | 'ts' | 'text' | 'blocks'> & {
  readonly threadTs?: string;
};

export type PageState = {
  readonly team: string;
  readonly app: { readonly id: string; readonly name: string };
  readonly me: string;
  readonly users: readonly { readonly id: string; readonly name: string; readonly realName: string }[];
  readonly connected: boolean;
  readonly commands: readonly string[];
  readonly channels: readonly PageChannel[];
  readonly ephemerals: readonly PageEphemeral[];
  readonly modal?: { readonly id: string; readonly view: Payload };
  readonly home?: Payload;
};

export function snapshot(context: StandinContext, me: string): PageState {
  const { web, options } = context;
  const modal = web
    .views()
    .filter((view) => view.type === 'modal' && view.userId === me && !context.closedViews.has(view.id))
    .at(-1);
  const home = web.homeView(me)?.view;
  return {
    team: options.teamName ?? 'promotion-bot demo',
    app: { id: BOT_USER_ID, name: options.appName ?? 'promotion-bot' },
    me,
    users: options.users.map((user) => ({
      id: user.id,
      name: user.name,
      realName: user.realName ?? user.name,
    })),
    connected: context.requestUrl() !== undefined,
    commands: options.commands,
    channels: channelsFor(context, me),
    ephemerals: web
      .ephemerals()
      .filter((message) => message.user === me)
      .map((message) => ({
        channel: message.channel,
        ts: message.ts,
        text: message.text,
        blocks: message.blocks,
        ...(message.thread_ts === undefined ? {} : { threadTs: message.thread_ts }),
      })),
    ...(modal ? { modal: { id: modal.id, view: modal.view } } : {}),
    ...(home ? { home } : {}),
  };
}

/** The workspace's channels, then this person's direct messages with the app, then any other channel in use. */
function channelsFor(context: StandinContext, me: string): PageChannel[] {
  const { web, options } = context;
  const dm = dmChannelOf(me);
  const known = new Set(options.channels.map((channel) => channel.id));
  const used = [...new Set(web.messages().map((message) => message.channel))];
  const others = used.filter((id) => !known.has(id) && id !== dm && !id.startsWith('D'));
  return [
    ...options.channels.map((channel) => toChannel(web, channel.id, channel.name, false)),
    toChannel(web, dm, options.appName ?? 'promotion-bot', true),
    ...others.map((id) => toChannel(web, id, id.toLowerCase(), false)),
  ];
}

function toChannel(web: FakeSlack, id: string, name: string, direct: boolean): PageChannel {
  return { id, name, direct, messages: web.messages(id).map((message) => toPageMessage(web, message, true)) };
}

function toPageMessage(web: FakeSlack, message: StoredMessage, withReplies: boolean): PageMessage {
  return {
    ts: message.ts,
    user: message.user,
    text: message.text,
    blocks: message.blocks,
    attachments: message.attachments,
    edited: message.edits > 0,
    files: message.files ?? [],
    replies: withReplies
      ? web.thread(message.channel, message.ts).map((reply) => toPageMessage(web, reply, false))
      : [],
  };
}
