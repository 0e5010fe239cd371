// Agent and admin sign-in: tokens in localStorage, refresh on 401, and the login form.
import { api, ApiError } from './api.js';
import { h, loadJSON, saveJSON } from './dom.js';
import { t, langSwitch } from './i18n.js';

const KEY = 'kefu.staff';
let refreshing = null;

/** The stored login: `{ access_token, refresh_token, account }` or null. */
export function auth() {
  return loadJSON(KEY, null);
}

function store(value) {
  if (value) saveJSON(KEY, value);
  else localStorage.removeItem(KEY);
}

/** Logs in; returns the account. */
export async function login(username, password) {
  const result = await api('POST', '/auth/login', { body: { username, password } });
  store({ access_token: result.access_token, refresh_token: result.refresh_token, account: result.account, expires_at: expiry(result) });
  return result.account;
}

/** Logs out (revokes the tokens when the server is reachable) and forgets them. */
export async function logout() {
  const current = auth();
  store(null);
  if (current) {
    try {
      await api('POST', '/auth/logout', { token: current.access_token });
    } catch {
      /* already invalid or offline: forgetting it is enough */
    }
  }
}

/** When an access token stops working (ms since epoch), from the server's `expires_in` seconds. */
function expiry(pair) {
  return pair.expires_in ? Date.now() + pair.expires_in * 1000 : null;
}

/** Whether the stored access token is about to expire (refresh first instead of collecting a 401). */
function expiring(current) {
  return !!current.expires_at && current.expires_at - Date.now() < 60000;
}

async function refresh() {
  const current = auth();
  if (!current || !current.refresh_token) throw new ApiError(401, 'unauthorized', t('error.unauthorized'));
  if (!refreshing) {
    refreshing = api('POST', '/auth/refresh', { body: { refresh_token: current.refresh_token } })
      .then((pair) => {
        store({ ...current, access_token: pair.access_token, refresh_token: pair.refresh_token, expires_at: expiry(pair) });
        return pair.access_token;
      })
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

/** The current access token, refreshed first when `force`. */
export async function accessToken(force = false) {
  const current = auth();
  if (!current) throw new ApiError(401, 'unauthorized', t('error.unauthorized'));
  if (force || expiring(current)) return refresh();
  return current.access_token;
}

/**
 * Calls the API as the logged-in agent or admin; on 401 refreshes the token once and retries; if that
 * fails too, forgets the login and fires `kefu:signed-out` on window.
 */
export async function staffApi(method, path, options = {}) {
  const current = auth();
  if (!current) {
    window.dispatchEvent(new CustomEvent('kefu:signed-out'));
    throw new ApiError(401, 'unauthorized', t('error.unauthorized'));
  }
  let token = current.access_token;
  if (expiring(current)) {
    try {
      token = await refresh();
    } catch {
      /* the call below gets the 401 and signs out */
    }
  }
  try {
    return await api(method, path, { ...options, token });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    try {
      token = await refresh();
    } catch {
      store(null);
      window.dispatchEvent(new CustomEvent('kefu:signed-out'));
      throw error;
    }
    return api(method, path, { ...options, token });
  }
}

/**
 * Shows the login form in `root` and resolves with the account once signed in. `requireAdmin` refuses
 * agent accounts with a message.
 */
export function loginView(root, { title, requireAdmin = false } = {}) {
  return new Promise((resolve) => {
    const error = h('p', { class: 'form-error', role: 'alert', id: 'login-error' });
    const username = h('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true });
    const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const submit = h('button', { class: 'btn primary', type: 'submit', id: 'login-submit', text: t('login.submit') });
    const form = h('form', {
      class: 'login-card',
      onsubmit: async (event) => {
        event.preventDefault();
        error.textContent = '';
        submit.disabled = true;
        try {
          const account = await login(username.value.trim(), password.value);
          if (requireAdmin && account.role !== 'admin') {
            await logout();
            error.textContent = t('login.needAdmin');
            return;
          }
          resolve(account);
        } catch (e) {
          error.textContent = e instanceof ApiError && e.status === 401 ? t('login.wrong') : e.display || String(e);
        } finally {
          submit.disabled = false;
        }
      },
    },
      h('div', { class: 'login-head' }, h('h1', { text: title || t('app.name') }), langSwitch()),
      h('label', { for: 'login-username', text: t('login.username') }), username,
      h('label', { for: 'login-password', text: t('login.password') }), password,
      error, submit);
    root.replaceChildren(h('main', { class: 'login-page' }, form));
    username.focus();
  });
}
