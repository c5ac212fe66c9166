// Slack's mrkdwn to HTML for the stand-in page. Everything from a message is escaped first; only the markup made
// here is HTML. Supported: *bold*, _italic_, ~strike~, `code`, ```blocks```, > quotes, <url|links>, <@U…>
// mentions, <#C…|channel>, <!here>, <!subteam^S…>, <!date^…|fallback>, and :emoji: (a few as pictures, the rest
// as their names).

// Slack draws emoji as pictures; the page draws the common ones as small badges from symbols every system font has
// (DejaVu Sans), so they look the same on a machine without an emoji font. Others stay :as_text:.
const EMOJI = {
  white_check_mark: ['✔', 'box green'],
  heavy_check_mark: ['✔', 'ink green'],
  x: ['✖', 'ink red'],
  no_entry: ['−', 'round red'],
  no_entry_sign: ['⊘', 'ink red'],
  warning: ['⚠', 'ink amber'],
  rotating_light: ['!', 'round red'],
  rocket: ['➚', 'box purple'],
  tada: ['✦', 'ink amber'],
  hourglass: ['…', 'box amber'],
  hourglass_flowing_sand: ['…', 'box amber'],
  raised_hand: ['☝', 'box amber'],
  double_vertical_bar: ['‖', 'box grey'],
  pause_button: ['‖', 'box grey'],
  arrows_counterclockwise: ['↻', 'box blue'],
  leftwards_arrow_with_hook: ['↩', 'box blue'],
  rewind: ['«', 'box blue'],
  fast_forward: ['»', 'box blue'],
  white_circle: ['○', 'ink grey'],
  large_green_circle: ['●', 'ink green'],
  large_yellow_circle: ['●', 'ink amber'],
  red_circle: ['●', 'ink red'],
  large_blue_circle: ['●', 'ink blue'],
  heavy_minus_sign: ['−', 'ink grey'],
  star: ['★', 'ink amber'],
  slack: ['#', 'box purple'],
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
  return escaped.replace(/:([a-z0-9_+-]+):/g, (whole, name) => {
    const emoji = EMOJI[name];
    if (!emoji) return whole;
    return `<span class="emoji ${emoji[1]}" title=":${name}:" role="img" aria-label="${name.replace(/_/g, ' ')}">${emoji[0]}</span>`;
  });
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

/**
 * `!date^<unix seconds>^<format>[^<link>]` with a fallback after `|`, in the reader's time zone, as Slack writes
 * it: `{date_short_pretty} at {time}` is `today at 09:05`, `yesterday at 17:30` or `Mar 1, 2024 at 09:05`.
 */
function formatDate(target, fallback) {
  const [, seconds, format = ''] = target.split('^');
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) return fallback ?? '';
  const time = date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  const day = date.toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' });
  const pretty = relativeDay(date) ?? day;
  return format
    .replace('{date_short_pretty}', pretty)
    .replace('{date_pretty}', pretty)
    .replace('{date_short}', day)
    .replace('{date}', date.toLocaleDateString())
    .replace('{date_num}', date.toISOString().slice(0, 10))
    .replace('{time_secs}', date.toLocaleTimeString('en-GB'))
    .replace('{time}', time);
}

function relativeDay(date) {
  const today = new Date();
  for (const [offset, word] of [
    [0, 'today'],
    [-1, 'yesterday'],
    [1, 'tomorrow'],
  ]) {
    const day = new Date(today.getFullYear(), today.getMonth(), today.getDate() + offset);
    if (day.toDateString() === date.toDateString()) return word;
  }
  return undefined;
}
