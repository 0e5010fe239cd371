// The leave-a-message form (留言): description, name, phone or e-mail, up to five images.
import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { openDialog, toast } from '../dialog.js';
import { checkImage, IMAGE_TYPES } from '../media.js';

const PHONE = /^\+?[0-9 ()-]{5,32}$/;
const EMAIL = /^[\x21-\x3f\x41-\x7e]+@[\x21-\x3f\x41-\x7e]+$/;

/** Opens the form; `token()` gives the visitor token; `onDone()` runs after a successful submit. */
export function leaveMessageForm({ token, sessionId, onDone }) {
  const images = [];
  const description = h('textarea', { id: 'leave-description', rows: 4, maxlength: 2000, required: true });
  const name = h('input', { id: 'leave-name', maxlength: 64, autocomplete: 'name' });
  const phone = h('input', { id: 'leave-phone', type: 'tel', maxlength: 32, autocomplete: 'tel' });
  const email = h('input', { id: 'leave-email', type: 'email', maxlength: 254, autocomplete: 'email' });
  const thumbs = h('ul', { class: 'thumbs', id: 'leave-images' });
  const fileInput = h('input', {
    type: 'file', id: 'leave-file', accept: IMAGE_TYPES.join(','), multiple: true, class: 'visually-hidden',
    onchange: async () => {
      const files = Array.from(fileInput.files || []);
      fileInput.value = '';
      for (const file of files) {
        if (images.length >= 3) {
          dialog.error(t('leave.maxImages'));
          break;
        }
        const problem = checkImage(file);
        if (problem) {
          dialog.error(problem);
          continue;
        }
        try {
          const result = await api('POST', '/visitor/images', { token: token(), body: file, query: { session_id: sessionId || undefined } });
          const entry = { id: result.image_id, url: URL.createObjectURL(file) };
          images.push(entry);
          const item = h('li', {},
            h('img', { src: entry.url, alt: file.name }),
            h('button', {
              type: 'button', class: 'link', text: t('common.delete'),
              onclick: () => {
                images.splice(images.indexOf(entry), 1);
                item.remove();
              },
            }));
          thumbs.append(item);
        } catch (e) {
          dialog.error(t('image.uploadFailed') + ' ' + (e.display || ''));
        }
      }
    },
  });
  const field = (label, input, hint) =>
    h('div', { class: 'field' }, h('label', { for: input.id, text: label }), input, hint ? h('p', { class: 'hint', text: hint }) : null);
  const dialog = openDialog({
    title: t('leave.title'),
    id: 'leave-dialog',
    body: [
      h('p', { class: 'hint', text: t('leave.intro') }),
      field(t('leave.description'), description),
      field(t('leave.name'), name),
      field(t('leave.phone'), phone),
      field(t('leave.email'), email, t('leave.contactHint')),
      h('div', { class: 'field' }, h('label', { for: 'leave-file', class: 'btn', text: t('leave.addImages') }), fileInput, thumbs),
    ],
    actions: [
      { label: t('common.cancel'), id: 'leave-cancel' },
      {
        label: t('leave.submit'), primary: true, id: 'leave-submit',
        onClick: async () => {
          const text = description.value.trim();
          const phoneValue = phone.value.trim();
          const emailValue = email.value.trim();
          if (!text) throw new Error(t('leave.needDescription'));
          if (!phoneValue && !emailValue) throw new Error(t('leave.needContact'));
          if (phoneValue && !PHONE.test(phoneValue)) throw new Error(t('leave.badPhone'));
          if (emailValue && !EMAIL.test(emailValue)) throw new Error(t('leave.badEmail'));
          await api('POST', '/visitor/leave-message', {
            token: token(),
            body: {
              description: text, name: name.value.trim() || undefined, phone: phoneValue || undefined, email: emailValue || undefined,
              image_ids: images.length ? images.map((i) => i.id) : undefined, session_id: sessionId || undefined,
            },
          });
          toast(t('leave.done'));
          if (onDone) onDone();
        },
      },
    ],
    onClose: () => images.forEach((i) => URL.revokeObjectURL(i.url)),
  });
  description.focus();
  return dialog;
}
