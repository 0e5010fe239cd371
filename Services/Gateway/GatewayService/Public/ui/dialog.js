// Modal dialogs on the native <dialog> element (focus stays inside, Esc closes).
import { h } from './dom.js';
import { t } from './i18n.js';

/**
 * Opens a modal. `body`: nodes; `actions`: [{ label, primary, id, onClick(close) }] — an action whose
 * onClick returns false (or a promise of false) keeps the dialog open. Returns `{ dialog, close, error }`
 * where `error(text)` shows a message in the dialog.
 */
export function openDialog({ title, body = [], actions = [], id, wide = false, onClose }) {
  const errorLine = h('p', { class: 'form-error', role: 'alert' });
  const dialog = h('dialog', { class: 'modal' + (wide ? ' wide' : ''), id, 'aria-label': title });
  const close = () => {
    if (dialog.open) dialog.close();
  };
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (onClose) onClose();
  });
  const buttons = actions.map((action) =>
    h('button', {
      type: 'button', class: 'btn' + (action.primary ? ' primary' : ''), id: action.id, text: action.label,
      onclick: async (event) => {
        const button = event.currentTarget;
        errorLine.textContent = '';
        button.disabled = true;
        try {
          const keep = action.onClick ? await action.onClick(close) : undefined;
          if (keep !== false) close();
        } catch (e) {
          errorLine.textContent = (e && (e.display || e.message)) || String(e);
        } finally {
          button.disabled = false;
        }
      },
    }));
  dialog.append(
    h('header', { class: 'modal-head' },
      h('h2', { text: title }),
      h('button', { type: 'button', class: 'btn icon', 'aria-label': t('common.close'), title: t('common.close'), onclick: close, text: '✕' })),
    h('div', { class: 'modal-body' }, body),
    errorLine,
    h('footer', { class: 'modal-actions' }, buttons));
  document.body.append(dialog);
  dialog.showModal();
  const first = dialog.querySelector('.modal-body input, .modal-body textarea, .modal-body select, .modal-body button');
  if (first) first.focus();
  return { dialog, close, error: (text) => { errorLine.textContent = text; } };
}

/** Asks a yes/no question; resolves true when confirmed. */
export function confirmDialog(message, { okLabel, title } = {}) {
  return new Promise((resolve) => {
    let answered = false;
    openDialog({
      title: title || t('common.confirm'),
      id: 'confirm-dialog',
      body: [h('p', { text: message })],
      actions: [
        { label: t('common.cancel'), id: 'confirm-cancel', onClick: () => { answered = true; resolve(false); } },
        { label: okLabel || t('common.ok'), primary: true, id: 'confirm-ok', onClick: () => { answered = true; resolve(true); } },
      ],
      onClose: () => {
        if (!answered) resolve(false);
      },
    });
  });
}

/** A small message that disappears after a few seconds (role=status). */
export function toast(text, kind = 'info') {
  let host = document.getElementById('toasts');
  if (!host) {
    host = h('div', { id: 'toasts', class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(host);
  }
  const item = h('div', { class: 'toast ' + kind, text });
  host.append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 6000 : 3000);
}
