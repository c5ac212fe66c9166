// A channel's messages as Slack shows them: top-level messages and this person's ephemeral ones in time order,
// each thread folded under its parent (`view.expanded` holds the open ones), edits marked, files shown.
import { renderBlocks } from './blocks.js';
import { escapeHtml, renderMrkdwn } from './mrkdwn.js';

/** `view`: { state, expanded, dismissed, context(source) } where `context` makes the block renderer's context. */
export function renderMessages(channel, view) {
  const ephemerals = view.state.ephemerals.filter(
    (e) => e.channel === channel.id && !view.dismissed.has(e.ts),
  );
  const parents = new Set(channel.messages.map((message) => message.ts));
  return [
    ...channel.messages.map((message) => ({
      ts: message.ts,
      html: () => messageHtml(channel, message, ephemerals, view),
    })),
    ...ephemerals
      .filter((e) => !e.threadTs || !parents.has(e.threadTs))
      .map((e) => ({ ts: e.ts, html: () => ephemeralHtml(channel, e, view) })),
  ]
    .sort((a, b) => Number(a.ts) - Number(b.ts))
    .map((entry) => entry.html())
    .join('');
}

function messageHtml(channel, message, ephemerals, view) {
  const ctx = view.context({ channel: channel.id, ts: message.ts, ephemeral: false });
  const replies = message.replies;
  const threadEphemerals = ephemerals.filter((e) => e.threadTs === message.ts);
  const count = replies.length + threadEphemerals.length;
  const open = view.expanded.has(message.ts);
  const thread = count
    ? `<button type="button" class="thread-toggle" data-thread="${escapeHtml(message.ts)}" aria-expanded="${open}">${count} ${count === 1 ? 'reply' : 'replies'}${open ? ' · hide' : ''}</button>`
    : '';
  const threadBody = open
    ? `<div class="thread">${[
        ...replies.map((reply) => ({ ts: reply.ts, html: () => messageHtml(channel, reply, [], view) })),
        ...threadEphemerals.map((e) => ({ ts: e.ts, html: () => ephemeralHtml(channel, e, view) })),
      ]
        .sort((a, b) => Number(a.ts) - Number(b.ts))
        .map((entry) => entry.html())
        .join('')}</div>`
    : '';
  return `<article class="message" data-ts="${escapeHtml(message.ts)}">
  ${avatar()}
  <div class="message-body">
    ${meta(message.ts, view.state.app.name)}
    <div class="content">${content(message, ctx, message.edited ? EDITED : '')}</div>
    ${files(message.files)}
    ${thread}${threadBody}
  </div>
</article>`;
}

function ephemeralHtml(channel, message, view) {
  const ctx = view.context({ channel: channel.id, ts: message.ts, ephemeral: true });
  return `<article class="message ephemeral" data-ts="${escapeHtml(message.ts)}">
  ${avatar()}
  <div class="message-body">
    ${meta(message.ts, view.state.app.name)}
    <div class="content">${content(message, ctx)}</div>
    <div class="only-you">Only visible to you · <button type="button" class="link" data-dismiss="${escapeHtml(message.ts)}">Dismiss</button></div>
  </div>
</article>`;
}

const EDITED = ' <span class="edited">(edited)</span>';

function avatar() {
  return '<div class="avatar" aria-hidden="true">pb</div>';
}

function meta(ts, author) {
  const time = new Date(Number(ts) * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return `<div class="meta"><span class="author">${escapeHtml(author)}</span><span class="app-badge">APP</span><time>${escapeHtml(time)}</time></div>`;
}

/** `trailing`: HTML inline at the end of the message's text (its "(edited)"). */
function content(message, ctx, trailing = '') {
  const blocks = message.blocks?.length
    ? renderBlocks(message.blocks, ctx, trailing)
    : renderMrkdwn(message.text, ctx) + trailing;
  const attachments = (message.attachments ?? [])
    .map((attachment) => {
      const color = /^#?[0-9a-f]{6}$/i.test(attachment.color ?? '')
        ? attachment.color.replace(/^#?/, '#')
        : '#ddd';
      const body = attachment.blocks?.length
        ? renderBlocks(attachment.blocks, ctx)
        : renderMrkdwn(attachment.text ?? attachment.fallback ?? '', ctx);
      return `<div class="attachment" style="border-left-color:${color}">${body}</div>`;
    })
    .join('');
  return blocks + attachments;
}

function files(list) {
  return (list ?? [])
    .map((file) => {
      const url = `/standin/files/${encodeURIComponent(file.id)}`;
      const title = escapeHtml(file.title || file.name);
      return /\.(png|jpe?g|gif|svg)$/i.test(file.name)
        ? `<figure class="file"><figcaption>${title}</figcaption><img src="${url}" alt="${title}"></figure>`
        : `<a class="file" href="${url}" target="_blank" rel="noopener">📄 ${title}</a>`;
    })
    .join('');
}
