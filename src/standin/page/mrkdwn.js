// Slack's mrkdwn to HTML for the stand-in page. Everything from a message is escaped first; only the markup made
// here is HTML. Supported: *bold*, _italic_, ~strike~, `code`, ```blocks```, > quotes, <url|links>, <@U…>
// mentions, <#C…|channel>, <!here>, <!subteam^S…>, <!date^…|fallback>, and :emoji: (a few as pictures, the rest
// as their names).

const EMOJI = {
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  warning: '⚠️',
  rotating_light: '🚨',
  rocket: '🚀',
  tada: '🎉',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  raised_hand: '✋',
  double_vertical_bar: '⏸️',
  pause_button: '⏸️',
  arrows_counterclockwise: '🔄',
  leftwards_arrow_with_hook: '↩️',
  rewind: '⏪',
  fast_forward: '⏩',
  white_circle: '⚪',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  red_circle: '🔴',
  large_blue_circle: '🔵',
  heavy_minus_sign: '➖',
  lock: '🔒',
  unlock: '🔓',
  eyes: '👀',
  fire: '🔥',
  package: '📦',
  chart_with_upwards_trend: '📈',
  chart_with_downwards_trend: '📉',
  stopwatch: '⏱️',
  thumbsup: '👍',
  '+1': '👍',
  thumbsdown: '👎',
  wave: '👋',
  bulb: '💡',
  construction: '🚧',
  slack: '💬',
};

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Slack asks apps to send &, < and > as entities in mrkdwn; these three are all it decodes. */
function decodeEntities(text) {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function emojify(escaped) {
  return escaped.replace(/:([a-z0-9_+-]+):/g, (whole, name) =>
    EMOJI[name] ? `<span class="emoji" title=":${name}:">${EMOJI[name]}</span>` : whole,
  );
}

/** plain_text: no formatting, but `emoji: true` (the default) turns :names: into pictures. */
export function renderPlain(text, emoji = true) {
  const escaped = escapeHtml(text);
  return emoji ? emojify(escaped) : escaped;
}

/** mrkdwn to HTML. `ctx.userName(id)` names mentioned people. */
export function renderMrkdwn(text, ctx = {}) {
  const clean = String(text ?? '').replace(/[\uE000\uE001]/g, '');
  const parts = clean.split('```');
  return parts
    .map((part, index) => {
      const isCode = index % 2 === 1 && index < parts.length - 1;
      if (isCode)
        return `<pre class="code-block">${escapeHtml(decodeEntities(part.replace(/^\n/, '')))}</pre>`;
      return inline(part, ctx);
    })
    .join('');
}

function inline(text, ctx) {
  const segments = text.split(/(`[^`\n]+`)/);
  const html = segments
    .map((segment) => {
      if (/^`[^`\n]+`$/.test(segment)) {
        return `<code>${escapeHtml(decodeEntities(segment.slice(1, -1)))}</code>`;
      }
      return formatted(segment, ctx);
    })
    .join('');
  return quotes(html).replace(/\n/g, '<br>');
}

/** Text with <…> tokens: the tokens become placeholders, the rest is escaped and styled, then tokens go back. */
function formatted(text, ctx) {
  const tokens = [];
  const withPlaceholders = text.replace(/<([^<>\n]+)>/g, (_whole, inner) => {
    tokens.push(renderToken(inner, ctx));
    return `\uE000${tokens.length - 1}\uE001`;
  });
  const styled = style(emojify(escapeHtml(decodeEntities(withPlaceholders))));
  return styled.replace(/\uE000(\d+)\uE001/g, (_whole, index) => tokens[Number(index)] ?? '');
}

function style(escaped) {
  return escaped
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, '$1<strong>$2</strong>')
    .replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])/g, '$1<em>$2</em>')
    .replace(/(^|[^\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])/g, '$1<s>$2</s>');
}

/** Lines starting with `>` (escaped by now: `&gt;`) become a quote. */
function quotes(html) {
  return html
    .split('\n')
    .map((line) =>
      /^&gt;( |$)/.test(line) ? `<span class="quote">${line.slice(4).trimStart()}</span>` : line,
    )
    .join('\n');
}

function renderToken(inner, ctx) {
  const [target = '', label] = splitLabel(decodeEntities(inner));
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `<span class="mention">@${escapeHtml(label ?? ctx.userName?.(id) ?? id)}</span>`;
  }
  if (target.startsWith('#'))
    return `<span class="mention">#${escapeHtml(label ?? target.slice(1).toLowerCase())}</span>`;
  if (target.startsWith('!date^')) return escapeHtml(formatDate(target, label));
  if (target.startsWith('!subteam^')) {
    return `<span class="mention">@${escapeHtml(label ?? target.slice('!subteam^'.length))}</span>`;
  }
  if (target.startsWith('!')) return `<span class="mention">@${escapeHtml(target.slice(1))}</span>`;
  if (/^(https?:|mailto:)/i.test(target)) {
    return `<a href="${escapeHtml(target)}" target="_blank" rel="noopener noreferrer">${escapeHtml(label ?? target)}</a>`;
  }
  return escapeHtml(`<${inner}>`);
}

function splitLabel(inner) {
  const bar = inner.indexOf('|');
  return bar === -1 ? [inner] : [inner.slice(0, bar), inner.slice(bar + 1)];
}

/** `!date^<unix seconds>^<format>[^<link>]` with a fallback after `|`, in the reader's time zone. */
function formatDate(target, fallback) {
  const [, seconds, format = ''] = target.split('^');
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) return fallback ?? '';
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const day = date.toLocaleDateString([], { month: 'short', day: 'numeric' });
  const today = new Date().toDateString() === date.toDateString();
  return format
    .replace('{date_short_pretty}', today ? 'today' : day)
    .replace('{date_pretty}', today ? 'today' : day)
    .replace('{date_short}', day)
    .replace('{date}', date.toLocaleDateString())
    .replace('{date_num}', date.toISOString().slice(0, 10))
    .replace('{time_secs}', date.toLocaleTimeString())
    .replace('{time}', time);
}
