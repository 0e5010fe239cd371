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

/** A hidden file input and the button that opens it; `onFiles(files)` gets what was picked. */
export function imagePicker({ onFiles, label, id, multiple = false }) {
  const input = h('input', {
    type: 'file', accept: IMAGE_TYPES.join(','), hidden: true, multiple, id: id ? id + '-input' : undefined,
    onchange: () => {
      const files = Array.from(input.files || []);
      input.value = '';
      if (files.length) onFiles(files);
    },
  });
  const button = h('button', {
    type: 'button', class: 'btn icon', id, title: label || t('image.send'), 'aria-label': label || t('image.send'),
    onclick: () => input.click(),
  }, h('span', { 'aria-hidden': 'true', text: '🖼' }));
  return { input, button };
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
