// Block Kit to HTML for the stand-in page: the blocks a bot sends in messages, modals and the Home tab. Buttons
// are registered with `ctx.register(ref)`, which returns the key the page finds them by when they are clicked.
import { escapeHtml, renderMrkdwn, renderPlain } from './mrkdwn.js';

const TEXT_BLOCKS = new Set(['header', 'section', 'context', 'rich_text', 'markdown']);

/**
 * `trailing` (HTML, such as a message's "(edited)") goes inline at the end of the last block that shows text, the
 * way Slack puts it after a message's text; after the blocks when none does.
 */
export function renderBlocks(blocks, ctx, trailing = '') {
  const list = Array.isArray(blocks) ? blocks : [];
  const last = list.findLastIndex((block) => TEXT_BLOCKS.has(block?.type));
  const html = list
    .map((block, index) => renderBlock(block, index, ctx, index === last ? trailing : ''))
    .join('');
  return last === -1 ? html + trailing : html;
}

/** A text object: mrkdwn or plain_text. */
export function renderText(text, ctx) {
  if (!text || typeof text !== 'object') return '';
  if (text.type === 'mrkdwn') return renderMrkdwn(text.text, ctx);
  return renderPlain(text.text, text.emoji !== false);
}

function renderBlock(block, index, ctx, trailing) {
  if (!block || typeof block !== 'object') return '';
  switch (block.type) {
    case 'header':
      return `<div class="b-header">${renderText(block.text, ctx)}${trailing}</div>`;
    case 'section':
      return section(block, ctx, trailing);
    case 'context':
      return `<div class="b-context">${(block.elements ?? []).map((element) => contextElement(element, ctx)).join('')}${trailing}</div>`;
    case 'divider':
      return '<hr class="b-divider">';
    case 'actions':
      return `<div class="b-actions">${(block.elements ?? []).map((element) => renderElement(element, block, ctx)).join('')}</div>`;
    case 'image':
      return imageBlock(block, ctx);
    case 'input':
      return input(block, index, ctx);
    case 'rich_text': {
      const elements = block.elements ?? [];
      const html = elements.map((element, i) =>
        richElement(element, ctx, i === elements.length - 1 ? trailing : ''),
      );
      return `<div class="b-rich">${html.join('')}</div>`;
    }
    case 'markdown':
      return `<div class="b-markdown">${renderMrkdwn(block.text, ctx)}${trailing}</div>`;
    default:
      return `<div class="b-unsupported">[${escapeHtml(block.type)} block: not shown by the stand-in]</div>`;
  }
}

function section(block, ctx, trailing) {
  const fieldList = Array.isArray(block.fields) ? block.fields : [];
  const text = block.text
    ? `<div class="b-text">${renderText(block.text, ctx)}${fieldList.length ? '' : trailing}</div>`
    : '';
  const fields = fieldList.length
    ? `<div class="b-fields">${fieldList.map((field, i) => `<div class="b-field">${renderText(field, ctx)}${i === fieldList.length - 1 ? trailing : ''}</div>`).join('')}</div>`
    : '';
  const accessory = block.accessory
    ? `<div class="b-accessory">${renderElement(block.accessory, block, ctx)}</div>`
    : '';
  return `<div class="b-section"><div class="b-main">${text}${fields}</div>${accessory}</div>`;
}

function contextElement(element, ctx) {
  if (element?.type === 'image') return image(element.image_url, element.alt_text, 'b-context-image');
  return `<span class="b-context-text">${renderText(element, ctx)}</span>`;
}

function imageBlock(block, ctx) {
  const title = block.title ? `<figcaption>${renderText(block.title, ctx)}</figcaption>` : '';
  return `<figure class="b-image">${title}${image(block.image_url ?? block.slack_file?.url, block.alt_text, '')}</figure>`;
}

/** Only web and stand-in addresses become images; anything else (javascript:, data:) is shown as text. */
function image(url, alt, className) {
  if (typeof url !== 'string' || !/^(https?:\/\/|\/standin\/files\/)/i.test(url)) {
    return `<span class="b-unsupported">[image: ${escapeHtml(alt ?? '')}]</span>`;
  }
  return `<img class="${className}" src="${escapeHtml(url)}" alt="${escapeHtml(alt ?? '')}" loading="lazy">`;
}

export function renderElement(element, block, ctx) {
  if (!element || typeof element !== 'object') return '';
  if (element.type === 'image') return image(element.image_url, element.alt_text, 'b-accessory-image');
  if (element.type === 'button') {
    const key = ctx.register?.({ element, blockId: block.block_id });
    const style = element.style === 'primary' || element.style === 'danger' ? ` ${element.style}` : '';
    const link = typeof element.url === 'string' && /^https?:\/\//i.test(element.url) ? ' ↗' : '';
    return `<button type="button" class="btn${style}" data-ref="${escapeHtml(key ?? '')}">${renderText(element.text, ctx)}${link}</button>`;
  }
  const label = element.placeholder ? renderText(element.placeholder, ctx) : escapeHtml(element.type);
  return `<span class="b-unsupported" title="not interactive in the stand-in">[${label}]</span>`;
}

function input(block, index, ctx) {
  const element = block.element ?? {};
  const id = `input-${index}`;
  const label = `<label for="${id}">${renderText(block.label, ctx)}${block.optional ? ' <span class="optional">(optional)</span>' : ''}</label>`;
  const hint = block.hint ? `<div class="hint">${renderText(block.hint, ctx)}</div>` : '';
  const error = `<div class="input-error" data-error-for="${escapeHtml(block.block_id)}" role="alert"></div>`;
  if (element.type !== 'plain_text_input') {
    return `<div class="b-input">${label}<span class="b-unsupported">[${escapeHtml(element.type)} input: not supported]</span>${hint}</div>`;
  }
  const attributes = [
    `id="${id}"`,
    `data-block-id="${escapeHtml(block.block_id)}"`,
    `data-action-id="${escapeHtml(element.action_id)}"`,
    block.optional ? '' : 'data-required="true"',
    element.max_length ? `maxlength="${Number(element.max_length)}"` : '',
    element.placeholder ? `placeholder="${escapeHtml(element.placeholder.text)}"` : '',
  ].join(' ');
  const value = escapeHtml(element.initial_value ?? '');
  const field = element.multiline
    ? `<textarea ${attributes} rows="4">${value}</textarea>`
    : `<input type="text" ${attributes} value="${value}">`;
  return `<div class="b-input">${label}${field}${hint}${error}</div>`;
}

/** rich_text: sections, lists, quotes and preformatted text, with styled text, links and mentions. */
function richElement(element, ctx, trailing = '') {
  const inner = (element.elements ?? []).map((part) => richPart(part, ctx)).join('') + trailing;
  switch (element.type) {
    case 'rich_text_list': {
      const tag = element.style === 'ordered' ? 'ol' : 'ul';
      const list = element.elements ?? [];
      const items = list
        .map((item, i) => `<li>${richElement(item, ctx, i === list.length - 1 ? trailing : '')}</li>`)
        .join('');
      return `<${tag}>${items}</${tag}>`;
    }
    case 'rich_text_preformatted':
      return `<pre class="code-block">${inner}</pre>`;
    case 'rich_text_quote':
      return `<span class="quote">${inner}</span>`;
    default:
      return `<div>${inner}</div>`;
  }
}

function richPart(part, ctx) {
  const styled = (html) => {
    const s = part.style ?? {};
    let out = html;
    if (s.code) out = `<code>${out}</code>`;
    if (s.bold) out = `<strong>${out}</strong>`;
    if (s.italic) out = `<em>${out}</em>`;
    if (s.strike) out = `<s>${out}</s>`;
    return out;
  };
  switch (part?.type) {
    case 'text':
      return styled(escapeHtml(part.text).replace(/\n/g, '<br>'));
    case 'link':
      return /^(https?:|mailto:)/i.test(part.url ?? '')
        ? styled(
            `<a href="${escapeHtml(part.url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(part.text ?? part.url)}</a>`,
          )
        : escapeHtml(part.text ?? '');
    case 'user':
      return `<span class="mention">@${escapeHtml(ctx.userName?.(part.user_id) ?? part.user_id)}</span>`;
    case 'channel':
      return `<span class="mention">#${escapeHtml(part.channel_id)}</span>`;
    case 'emoji':
      return renderPlain(`:${part.name}:`);
    default:
      return '';
  }
}
