// Modals the app opens (views.open) and the confirmation dialogs of buttons with `confirm`, as Slack shows them.
import { renderBlocks, renderText } from './blocks.js';

/** The app's modal: its title, blocks (inputs included), and its close and submit buttons. */
export function renderModal(view, ctx) {
  const title = renderText(view.title, ctx) || 'Modal';
  const close = view.close ? renderText(view.close, ctx) : 'Cancel';
  const submit = view.submit
    ? `<button type="submit" class="btn primary" data-modal-submit>${renderText(view.submit, ctx)}</button>`
    : '';
  return `<div class="overlay">
  <form class="modal" role="dialog" aria-modal="true" aria-labelledby="modal-title" data-modal-form novalidate>
    <header class="modal-header">
      <h2 id="modal-title">${title}</h2>
      <button type="button" class="icon-button" data-modal-close aria-label="Close">×</button>
    </header>
    <div class="modal-body">${renderBlocks(view.blocks, ctx)}</div>
    <div class="modal-error" role="alert" data-modal-error></div>
    <footer class="modal-footer">
      <button type="button" class="btn" data-modal-close>${close}</button>
      ${submit}
    </footer>
  </form>
</div>`;
}

/** block_id -> action_id -> typed text, from the modal's inputs; the names of required inputs left empty. */
export function readModalInputs(form) {
  const values = {};
  const missing = [];
  for (const field of form.querySelectorAll('[data-action-id]')) {
    const blockId = field.dataset.blockId;
    const actionId = field.dataset.actionId;
    values[blockId] = { ...values[blockId], [actionId]: field.value };
    if (field.dataset.required === 'true' && field.value.trim() === '') missing.push(blockId);
  }
  return { values, missing };
}

/** Shows each error under the input of its block (Slack's `response_action: errors`). */
export function showInputErrors(form, errors) {
  for (const slot of form.querySelectorAll('[data-error-for]')) {
    slot.textContent = errors[slot.dataset.errorFor] ?? '';
  }
}

/** Asks before a button with `confirm` acts; resolves true when the person confirms. */
export function askToConfirm(root, confirm, ctx) {
  const danger = confirm.style === 'danger' ? ' danger' : ' primary';
  root.innerHTML = `<div class="overlay">
  <div class="modal confirm" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title">
    <header class="modal-header"><h2 id="confirm-title">${renderText(confirm.title, ctx) || 'Are you sure?'}</h2></header>
    <div class="modal-body">${renderText(confirm.text, ctx)}</div>
    <footer class="modal-footer">
      <button type="button" class="btn" data-deny>${confirm.deny ? renderText(confirm.deny, ctx) : 'Cancel'}</button>
      <button type="button" class="btn${danger}" data-confirm>${confirm.confirm ? renderText(confirm.confirm, ctx) : 'Yes'}</button>
    </footer>
  </div>
</div>`;
  root.querySelector('[data-confirm]')?.focus();
  return new Promise((resolve) => {
    const finish = (answer) => {
      root.innerHTML = '';
      resolve(answer);
    };
    root.querySelector('[data-confirm]')?.addEventListener('click', () => finish(true));
    root.querySelector('[data-deny]')?.addEventListener('click', () => finish(false));
    root.querySelector('.overlay')?.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') finish(false);
    });
  });
}
