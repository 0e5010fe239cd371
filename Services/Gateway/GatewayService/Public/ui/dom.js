// DOM helpers. Every piece of data reaches the page through textContent or a property, never innerHTML.

/**
 * Creates an element. `props`: `class`, `text` (textContent), `on<Event>` listeners, `dataset`, `value`,
 * boolean or object properties (`checked`, `disabled`, …) and plain attributes. Children may be nodes,
 * strings (text nodes), arrays, or null/false (skipped).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'value') el.value = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (typeof value === 'boolean' || typeof value === 'object' || typeof value === 'number' && key in el) el[key] = value;
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

/** Appends children (nodes, strings, arrays; null and false are skipped). */
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces every child of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** `querySelector` shorthand. */
export const $ = (selector, root = document) => root.querySelector(selector);

/** `querySelectorAll` as an array. */
export const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

/** A random id usable as an idempotency key (printable ASCII, no spaces). */
export function randomId(prefix = 'c') {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return prefix + '-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Reads JSON from localStorage, or `fallback`. */
export function loadJSON(key, fallback) {
  try {
    const text = localStorage.getItem(key);
    return text ? JSON.parse(text) : fallback;
  } catch {
    return fallback;
  }
}

/** Writes JSON to localStorage (ignores a full or blocked storage). */
export function saveJSON(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* storage unavailable: the page still works, it only forgets on reload */
  }
}

/** Splits text into trimmed non-empty lines (also on commas for keyword lists when `commas`). */
export function splitList(text, commas = true) {
  return String(text || '')
    .split(commas ? /[\n,，]/ : /\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}
