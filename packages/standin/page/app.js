// The stand-in page: fetches what the chosen person sees (/standin/state), renders it like Slack, refetches on
// every `change` event, and turns clicks, modal submissions and slash commands into /standin/* requests that the
// server sends on to the app as signed Slack requests.
import { renderBlocks } from './blocks.js';
import { askToConfirm, readModalInputs, renderModal, showInputErrors } from './dialogs.js';
import { renderMessages } from './messages.js';
import { escapeHtml } from './mrkdwn.js';
import { createReadMarks } from './unread.js';

const HOME = 'home';
const params = new URLSearchParams(location.search);
const ui = {
  user: params.get('as') ?? undefined,
  place: decodeURIComponent(location.hash.slice(1)) || undefined,
  state: undefined,
  rendered: '',
  modalKey: '',
  expanded: new Set(),
  dismissed: new Set(),
  refs: new Map(),
  busy: false,
  reads: createReadMarks(),
};

const $ = (id) => document.getElementById(id);

async function post(name, body) {
  const response = await fetch(`/standin/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.json().catch(() => ({ ok: false, error: `HTTP ${response.status}` }));
}

function toast(message) {
  const box = $('toast');
  box.textContent = message;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => {
    box.hidden = true;
  }, 6000);
}

let refreshing;
let again = false;
async function refresh() {
  if (refreshing) {
    again = true;
    return refreshing;
  }
  refreshing = (async () => {
    try {
      const asked = ui.user;
      const query = asked ? `?user=${encodeURIComponent(asked)}` : '';
      const response = await fetch(`/standin/state${query}`, { cache: 'no-store' });
      const state = response.ok ? await response.json() : undefined;
      // "You are" changed while this was under way: that person's state comes next, not the previous one's.
      if (asked !== ui.user) again = true;
      else if (state) {
        ui.state = state;
        ui.user = state.me;
        render();
      }
    } catch {
      $('status').textContent = 'The stand-in is not answering: is the demo still running?';
    } finally {
      refreshing = undefined;
      if (again) {
        again = false;
        refresh();
      }
    }
  })();
  return refreshing;
}

/** What the block renderers need: people's names, and where a button they draw lives (`source`). */
function context(source) {
  const names = new Map((ui.state?.users ?? []).map((user) => [user.id, user.realName]));
  if (ui.state) names.set(ui.state.app.id, ui.state.app.name);
  return {
    userName: (id) => names.get(id),
    register(ref) {
      const key = String(ui.refs.size + 1);
      ui.refs.set(key, { ...ref, source });
      return key;
    },
  };
}

function currentChannel() {
  const channels = ui.state.channels;
  return channels.find((channel) => channel.id === ui.place) ?? channels.find((channel) => !channel.direct);
}

function render() {
  const state = ui.state;
  const key = JSON.stringify([state, ui.place, [...ui.expanded], [...ui.dismissed]]);
  if (key === ui.rendered) return;
  ui.rendered = key;
  ui.refs.clear();
  $('workspace').textContent = state.team;
  $('status').textContent = state.connected
    ? `● ${state.app.name} is connected`
    : '○ waiting for the app to start…';
  $('status').className = state.connected ? 'status connected' : 'status';
  renderUsers(state);
  const channel = ui.place === HOME ? undefined : currentChannel();
  if (channel) ui.reads.look(state.me, channel);
  renderSidebar(state);
  if (channel) renderChannel(state, channel);
  else renderHome(state);
  renderOpenModal(state);
}

function renderUsers(state) {
  const select = $('user');
  const options = state.users
    .map((user) => `<option value="${escapeHtml(user.id)}">${escapeHtml(user.realName)}</option>`)
    .join('');
  // Rewriting the options would close the list under the person choosing from it.
  if (select.dataset.options !== options) {
    select.innerHTML = options;
    select.dataset.options = options;
  }
  select.value = state.me;
}

function renderSidebar(state) {
  const current = ui.place === HOME ? HOME : currentChannel()?.id;
  const item = (id, label, unread) =>
    `<li><a href="#${escapeHtml(id)}" class="${id === current ? 'active' : ''}" data-place="${escapeHtml(id)}">${label}${unread ? ` <span class="count">${unread}</span>` : ''}</a></li>`;
  $('channels').innerHTML = state.channels
    .filter((channel) => !channel.direct)
    .map((channel) => item(channel.id, `# ${escapeHtml(channel.name)}`, ui.reads.unread(state.me, channel)))
    .join('');
  const dm = state.channels.find((channel) => channel.direct);
  $('apps').innerHTML = [
    item(HOME, `${escapeHtml(state.app.name)} · Home`),
    dm ? item(dm.id, `${escapeHtml(state.app.name)} · Messages`, ui.reads.unread(state.me, dm)) : '',
  ].join('');
}

function renderChannel(state, channel) {
  $('title').textContent = channel.direct ? channel.name : `# ${channel.name}`;
  $('subtitle').textContent = channel.direct
    ? `Direct messages between ${state.app.name} and you`
    : `${channel.messages.length} message${channel.messages.length === 1 ? '' : 's'} · slash commands typed here are sent from #${channel.name}`;
  $('composer').hidden = false;
  const list = $('messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  list.innerHTML =
    renderMessages(channel, {
      state,
      expanded: ui.expanded,
      dismissed: ui.dismissed,
      context,
    }) ||
    `<p class="empty">${channel.direct ? `No messages from ${escapeHtml(state.app.name)} yet.` : `Nothing in #${escapeHtml(channel.name)} yet.`}</p>`;
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function renderHome(state) {
  $('title').textContent = `${state.app.name} · Home`;
  $('subtitle').textContent = 'The App Home tab: published by the app each time you open it';
  $('composer').hidden = true;
  const ctx = context();
  $('messages').innerHTML = state.home
    ? `<div class="home">${renderBlocks(state.home.blocks, ctx)}</div>`
    : '<p class="empty">Opening Home…</p>';
}

function renderOpenModal(state) {
  const root = $('modal-root');
  const key = state.modal ? `${state.modal.id}:${state.modal.view.hash}` : '';
  if (key === ui.modalKey) return;
  ui.modalKey = key;
  if (!state.modal) {
    root.innerHTML = '';
    return;
  }
  const ctx = context();
  root.innerHTML = renderModal(state.modal.view, ctx);
  root.querySelector('textarea, input')?.focus();
}

async function onModalSubmit(event) {
  event.preventDefault();
  const form = event.target;
  const modal = ui.state.modal;
  if (!modal) return;
  const { values, missing } = readModalInputs(form);
  if (missing.length > 0) {
    showInputErrors(
      form,
      Object.fromEntries(missing.map((id) => [id, 'Please fill out this required field.'])),
    );
    return;
  }
  const answer = await post('submit', { user: ui.user, viewId: modal.id, values });
  if (answer.errors) showInputErrors(form, answer.errors);
  else if (!answer.ok) form.querySelector('[data-modal-error]').textContent = answer.error;
  await refresh();
}

async function onButton(button) {
  const ref = ui.refs.get(button.dataset.ref);
  if (!ref?.source) return;
  const { element } = ref;
  if (element.confirm && !(await askToConfirm($('confirm-root'), element.confirm, context()))) return;
  if (typeof element.url === 'string' && /^https?:\/\//i.test(element.url))
    window.open(element.url, '_blank', 'noopener');
  button.disabled = true;
  const answer = await post('click', {
    user: ui.user,
    channel: ref.source.channel,
    ts: ref.source.ts,
    ephemeral: ref.source.ephemeral,
    actionId: element.action_id,
    ...(ref.blockId ? { blockId: ref.blockId } : {}),
  });
  if (!answer.ok) toast(answer.error);
  button.disabled = false;
  await refresh();
}

async function onCommand(event) {
  event.preventDefault();
  const input = $('command');
  const text = input.value.trim();
  if (!text) return;
  const channel = currentChannel();
  $('composer-error').textContent = '';
  const answer = await post('command', { user: ui.user, channel: channel.id, text });
  if (answer.ok) input.value = '';
  else $('composer-error').textContent = answer.error;
  await refresh();
}

function go(place) {
  ui.place = place;
  history.replaceState(null, '', `${location.pathname}${location.search}#${encodeURIComponent(place)}`);
  ui.rendered = '';
  render();
  if (place === HOME) post('home', { user: ui.user }).then(refresh);
}

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : undefined;
  const place = target?.closest('[data-place]');
  if (place) {
    event.preventDefault();
    go(place.dataset.place);
    return;
  }
  const button = target?.closest('button[data-ref]');
  if (button) return onButton(button);
  const toggle = target?.closest('[data-thread]');
  if (toggle) {
    const ts = toggle.dataset.thread;
    if (ui.expanded.has(ts)) ui.expanded.delete(ts);
    else ui.expanded.add(ts);
    render();
    return;
  }
  const dismiss = target?.closest('[data-dismiss]');
  if (dismiss) {
    ui.dismissed.add(dismiss.dataset.dismiss);
    render();
    return;
  }
  if (target?.closest('[data-modal-close]') && ui.state?.modal) {
    post('close', { user: ui.user, viewId: ui.state.modal.id }).then(refresh);
  }
});

document.addEventListener('submit', (event) => {
  if (event.target instanceof HTMLFormElement && event.target.matches('[data-modal-form]'))
    onModalSubmit(event);
});

$('composer').addEventListener('submit', onCommand);
$('user').addEventListener('change', (event) => {
  ui.user = event.target.value;
  ui.modalKey = '';
  params.set('as', ui.user);
  history.replaceState(null, '', `${location.pathname}?${params}${location.hash}`);
  refresh().then(() => {
    if (ui.place === HOME) post('home', { user: ui.user }).then(refresh);
  });
});

const events = new EventSource('/standin/events');
events.addEventListener('change', () => refresh());
setInterval(refresh, 5000);
refresh().then(() => {
  if (ui.place === HOME) post('home', { user: ui.user }).then(refresh);
});
