// HTTP access to the gateway API (`/api/v1`). Errors come back as ApiError with the server's code.
import { t } from './i18n.js';

/** A failed API call: `status` 0 means the network failed (no answer). */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
  }

  /** Whether sending the same request again may succeed (network, timeouts, overload, server errors). */
  get retryable() {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }

  /** A message for people: the translated code when known, else the server's message. */
  get display() {
    const key = 'error.' + this.code;
    const text = t(key);
    return text === key ? this.message : text;
  }
}

/**
 * Calls the API. `body`: an object (sent as JSON) or a Blob/File (sent raw); `token`: bearer token;
 * `query`: object of query parameters (null/'' values skipped); `as`: 'json' (default), 'blob' or 'response'.
 */
export async function api(method, path, { body, token, query, as = 'json', signal } = {}) {
  let url = '/api/v1' + path;
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    const qs = params.toString();
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  }
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  let payload;
  if (body instanceof Blob) {
    payload = body;
    headers['Content-Type'] = 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(url, { method, headers, body: payload, signal, cache: 'no-store' });
  } catch (error) {
    if (error && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', t('error.network'));
  }
  if (!response.ok) {
    let code = 'http_' + response.status;
    let message = response.statusText;
    try {
      const data = await response.json();
      if (data && data.error) {
        code = data.error.code || code;
        message = data.error.message || message;
      }
    } catch {
      /* not JSON: keep the status */
    }
    throw new ApiError(response.status, code, message);
  }
  if (as === 'response') return response;
  if (as === 'blob') return response.blob();
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** Saves a Blob as a file through a temporary link. */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** The file name of a `Content-Disposition` header, or `fallback`. */
export function dispositionName(response, fallback) {
  const header = response.headers.get('Content-Disposition') || '';
  const match = /filename="?([^";]+)"?/.exec(header);
  return match ? match[1] : fallback;
}
