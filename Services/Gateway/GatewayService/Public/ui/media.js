// Images: picking, pasting, uploading and showing images that need a bearer token.
import { h } from './dom.js';
import { t } from './i18n.js';

/** Image types the gateway accepts. */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
/** Largest upload (5 MiB). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** Checks a file before upload; returns an error message or ''. */
export function checkImage(file) {
  if (!IMAGE_TYPES.includes(file.type)) return t('image.badType');
  if (file.size > MAX_IMAGE_BYTES) return t('image.tooLarge');
  return '';
}

/** The image files of a paste event (screenshots, copied images). */
export function pastedImages(event) {
  const items = (event.clipboardData && event.clipboardData.items) || [];
  const files = [];
  for (const item of items) {
    if (item.kind === 'file' && item.type.startsWith('image/')) {
      const file = item.getAsFile();
      if (file) files.push(file);
    }
  }
  return files;
}

/**
 * The message input of the widget and the workbench: Enter sends (Shift+Enter, or an IME composition,
 * inserts a newline), pasted images go to `onImage(file)` one by one. `attrs` are the textarea's own.
 */
export function messageInput(attrs, { onSend, onImage }) {
  return h('textarea', {
    ...attrs,
    onkeydown: (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        onSend();
      }
    },
    onpaste: (e) => {
      const files = pastedImages(e);
      if (files.length) {
        e.preventDefault();
        files.forEach(onImage);
      }
    },
  });
}

/** A hidden file input and the button that opens it; `onFiles(files)` gets what was picked. */
export function imagePicker({ onFiles, label, id, multiple = false }) {
  const input = h('input', {
    type: 'file', accept: IMAGE_TYPES.join(','), class: 'visually-hidden', tabindex: '-1', multiple, id: id ? id + '-input' : undefined,
    onchange: () => {
      const files = Array.from(input.files || []);
      input.value = '';
      if (files.length) onFiles(files);
    },
  });
  const button = h('button', {
    type: 'button', class: 'btn icon', id, title: label || t('image.send'), 'aria-label': label || t('image.send'),
    onclick: () => input.click(),
  }, imageIcon(), h('span', { text: t('image.button') }));
  return { input, button };
}

/** A small picture icon drawn as SVG (no icon font needed). */
function imageIcon() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  const frame = document.createElementNS(ns, 'rect');
  for (const [k, v] of Object.entries({ x: 1.5, y: 2.5, width: 13, height: 11, rx: 1.5, fill: 'none', stroke: 'currentColor' })) frame.setAttribute(k, v);
  const hill = document.createElementNS(ns, 'path');
  hill.setAttribute('d', 'M2 12l4-4 3 3 2-2 3 3');
  hill.setAttribute('fill', 'none');
  hill.setAttribute('stroke', 'currentColor');
  const sun = document.createElementNS(ns, 'circle');
  for (const [k, v] of Object.entries({ cx: 11, cy: 6, r: 1.3, fill: 'currentColor' })) sun.setAttribute(k, v);
  svg.append(frame, hill, sun);
  return svg;
}

const cache = new Map();

/**
 * An <img> whose bytes are fetched with `load(imageId) → Promise<Blob>` (the API needs a bearer token),
 * shown from a blob: URL. External `url` images are shown as links (the page only loads its own images).
 */
export function imageView(ref, load) {
  if (ref && ref.url) {
    return h('a', { href: ref.url, target: '_blank', rel: 'noopener noreferrer', class: 'msg-link', text: t('image.external') });
  }
  const img = h('img', { class: 'msg-image', alt: t('image.alt'), loading: 'lazy' });
  const id = ref && ref.image_id;
  if (!id) return img;
  let pending = cache.get(id);
  if (!pending) {
    pending = load(id).then((blob) => URL.createObjectURL(blob));
    cache.set(id, pending);
    pending.catch(() => cache.delete(id));
  }
  pending.then(
    (url) => {
      img.src = url;
    },
    () => {
      img.alt = t('image.failed');
      img.classList.add('broken');
    });
  const link = h('button', {
    type: 'button', class: 'image-button', title: t('image.open'),
    onclick: () => pending.then((url) => openImage(url)),
  }, img);
  return link;
}

/** Shows an image full size in an overlay; Esc or a click closes it. */
export function openImage(url) {
  const close = () => overlay.remove();
  const overlay = h('div', {
    class: 'image-overlay', role: 'dialog', 'aria-label': t('image.alt'), tabindex: '-1',
    onclick: close,
    onkeydown: (e) => {
      if (e.key === 'Escape') close();
    },
  }, h('img', { src: url, alt: t('image.alt') }));
  document.body.append(overlay);
  overlay.focus();
}
