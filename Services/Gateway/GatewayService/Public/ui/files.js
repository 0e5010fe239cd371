// Files (documents, text, archives): picking, checking the size, uploading and the download card.
import { h } from './dom.js';
import { t } from './i18n.js';
import { saveBlob } from './api.js';

/** Extensions offered by the file picker (the gateway decides the type from the bytes, not the name). */
export const FILE_EXTENSIONS = {
  pdf: '.pdf', docx: '.docx', xlsx: '.xlsx', pptx: '.pptx', doc: '.doc', xls: '.xls', ppt: '.ppt', txt: '.txt,.text,.log,.csv,.md',
  zip: '.zip', gz: '.gz,.tgz', '7z': '.7z', rar: '.rar',
};

/** `1.5 MB`, `820 KB`, `12 B`. */
export function fileSize(bytes) {
  const n = Number(bytes) || 0;
  if (n >= 1024 * 1024) return (n / (1024 * 1024)).toFixed(n >= 10 * 1024 * 1024 ? 0 : 1) + ' MB';
  if (n >= 1024) return Math.round(n / 1024) + ' KB';
  return n + ' B';
}

/** Checks a picked file against the policy (`{ max_bytes }`) before upload; returns an error message or ''. */
export function checkFile(file, policy) {
  if (!file.size) return t('file.empty');
  if (policy && policy.max_bytes && file.size > policy.max_bytes) return t('file.tooLarge', { max: fileSize(policy.max_bytes) });
  return '';
}

/** A hidden file input and the button that opens it; `onFiles(files)` gets what was picked. */
export function filePicker({ onFiles, id, label, policy }) {
  const types = policy && Array.isArray(policy.allowed_types) ? policy.allowed_types : Object.keys(FILE_EXTENSIONS);
  const input = h('input', {
    type: 'file', class: 'visually-hidden', tabindex: '-1', id: id ? id + '-input' : undefined,
    accept: types.map((k) => FILE_EXTENSIONS[k]).filter(Boolean).join(','),
    onchange: () => {
      const files = Array.from(input.files || []);
      input.value = '';
      if (files.length) onFiles(files);
    },
  });
  const button = h('button', {
    type: 'button', class: 'btn icon', id, title: label || t('file.send'), 'aria-label': label || t('file.send'),
    onclick: () => input.click(),
  }, icon('M10.5 4.5l-5 5a1.5 1.5 0 0 0 2 2l5.5-5.5a3 3 0 0 0-4-4L3.5 7.5a4.5 4.5 0 0 0 6.5 6.5l4-4', 16), h('span', { text: t('file.button') }));
  return { input, button };
}

/** Updates a picker's `accept` from a policy that arrived later. */
export function applyPolicy(picker, policy) {
  if (!picker || !policy || !Array.isArray(policy.allowed_types)) return;
  picker.input.accept = policy.allowed_types.map((k) => FILE_EXTENSIONS[k]).filter(Boolean).join(',');
  picker.button.hidden = policy.allowed_types.length === 0;
}

/**
 * A download card for a file message (`{ file_id, name, size, mime_type }`): the name, the size and a
 * button that fetches the bytes with `load(fileId) → Promise<Blob>` (the API needs a bearer token) and
 * saves them under the file's name.
 */
export function fileCard(ref, load) {
  const status = h('span', { class: 'file-status', 'aria-live': 'polite' });
  const button = h('button', {
    type: 'button', class: 'btn file-download', text: t('file.download'), 'aria-label': t('file.downloadNamed', { name: ref.name }),
    onclick: async () => {
      button.disabled = true;
      status.textContent = t('file.downloading');
      try {
        saveBlob(await load(ref.file_id), ref.name);
        status.textContent = '';
      } catch (e) {
        status.textContent = t('file.downloadFailed') + (e && e.display ? ' ' + e.display : '');
      } finally {
        button.disabled = false;
      }
    },
  });
  return h('div', { class: 'file-card', dataset: { fileId: ref.file_id || '' } },
    h('span', { class: 'file-icon' }, icon('M4 1.5h5.5l3 3v10h-8.5z M9.5 1.5v3h3 M6 8h5 M6 10.5h5 M6 13h3', 24)),
    h('div', { class: 'file-info' },
      h('span', { class: 'file-name', text: ref.name || t('file.alt'), title: ref.name || '' }),
      h('span', { class: 'file-size', text: fileSize(ref.size) })),
    button, status);
}

/** A stroked SVG icon of `path` in a 16×16 box, drawn at `size` pixels (no icon font or emoji font needed). */
function icon(path, size) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  for (const [k, v] of Object.entries({ viewBox: '0 0 16 16', width: size, height: size, 'aria-hidden': 'true' })) svg.setAttribute(k, v);
  const line = document.createElementNS(ns, 'path');
  for (const [k, v] of Object.entries({ d: path, fill: 'none', stroke: 'currentColor', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' })) line.setAttribute(k, v);
  svg.append(line);
  return svg;
}
