/*
 * Kefu visitor widget. Embed with one tag:
 *   <script src="https://kefu.example.com/widget.js" data-channel="web-pc"></script>
 * Optional: data-position="left"; data-group="aftersales" (the skill group this entry leads to);
 * data-identity="<JWS>", a visitor identity signed by the site's backend (docs/integrations.md: who the
 * visitor is, their name and priority). It adds a launcher button and a chat panel inside a shadow root (the
 * host page's CSS cannot reach them, and theirs cannot leak out). The chat runs in a frame of /chat from
 * the same gateway, loaded at once so that replies arriving while the panel is closed light the badge;
 * the frame also sends the launcher's labels, so every text comes from the one i18n table.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.KefuWidget) return;
  var base = new URL(script.src, location.href);
  var channel = script.getAttribute('data-channel') || 'web-pc';
  var side = script.getAttribute('data-position') === 'left' ? 'left' : 'right';
  var group = script.getAttribute('data-group') || '';
  var openKey = 'kefu.widget.open.' + channel;

  var host = document.createElement('div');
  host.id = 'kefu-widget';
  var root = host.attachShadow({ mode: 'open' });
  var style = document.createElement('style');
  style.textContent = [
    ':host{all:initial;position:fixed;bottom:20px;' + side + ':20px;z-index:2147483000;font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif}',
    '.launcher{display:flex;align-items:center;gap:8px;border:0;border-radius:28px;padding:12px 18px;background:#1664d9;color:#fff;font-size:15px;line-height:1.2;cursor:pointer;box-shadow:0 4px 16px rgba(0,0,0,.2)}',
    '.launcher[hidden]{display:none}',
    '.launcher:focus-visible{outline:3px solid #ffb000;outline-offset:2px}',
    '.badge{display:none;width:10px;height:10px;border-radius:50%;background:#ff4d4f}',
    '.badge.on{display:inline-block}',
    '.panel{position:absolute;bottom:0;' + side + ':0;width:380px;height:600px;max-height:calc(100vh - 40px);max-width:calc(100vw - 40px);background:#fff;border-radius:12px;overflow:hidden;box-shadow:0 8px 32px rgba(0,0,0,.25);visibility:hidden;pointer-events:none}',
    '.panel.open{visibility:visible;pointer-events:auto}',
    'iframe{border:0;width:100%;height:100%;display:block}',
    '@media (max-width:480px){.panel{position:fixed;inset:0;width:100vw;height:100vh;max-width:none;max-height:none;border-radius:0}}',
  ].join('\n');
  var launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = 'launcher';
  launcher.id = 'kefu-launcher';
  launcher.setAttribute('aria-expanded', 'false');
  var ns = 'http://www.w3.org/2000/svg';
  var icon = document.createElementNS(ns, 'svg');
  icon.setAttribute('viewBox', '0 0 24 24');
  icon.setAttribute('width', '20');
  icon.setAttribute('height', '20');
  icon.setAttribute('aria-hidden', 'true');
  var bubble = document.createElementNS(ns, 'path');
  bubble.setAttribute('d', 'M4 4h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z');
  bubble.setAttribute('fill', 'currentColor');
  icon.append(bubble);
  var label = document.createElement('span');
  label.className = 'label';
  var badge = document.createElement('span');
  badge.className = 'badge';
  launcher.append(icon, label, badge);
  var panel = document.createElement('div');
  panel.className = 'panel';
  var frame = document.createElement('iframe');
  var src = new URL('/chat/', base);
  src.searchParams.set('channel', channel);
  src.searchParams.set('embed', '1');
  if (group) src.searchParams.set('group', group);
  src.searchParams.set('page', location.href.slice(0, 1000));
  var identity = script.getAttribute('data-identity');
  // In the fragment: it never reaches a server's access log.
  if (identity) src.hash = 'identity=' + encodeURIComponent(identity);
  frame.src = src.toString();
  frame.setAttribute('tabindex', '-1');
  panel.append(frame);

  function remember(value) {
    try {
      if (value) localStorage.setItem(openKey, '1');
      else localStorage.removeItem(openKey);
    } catch (e) { /* storage blocked: the panel just starts closed */ }
  }

  function open() {
    panel.classList.add('open');
    frame.removeAttribute('tabindex');
    launcher.hidden = true;
    launcher.setAttribute('aria-expanded', 'true');
    badge.classList.remove('on');
    remember(true);
    frame.contentWindow && frame.contentWindow.postMessage({ type: 'kefu:opened' }, base.origin);
    frame.focus();
  }

  function close() {
    panel.classList.remove('open');
    frame.setAttribute('tabindex', '-1');
    launcher.hidden = false;
    launcher.setAttribute('aria-expanded', 'false');
    remember(false);
    launcher.focus();
  }

  launcher.addEventListener('click', open);
  window.addEventListener('message', function (event) {
    if (event.source !== frame.contentWindow || event.origin !== base.origin) return;
    var data = event.data || {};
    if (data.type === 'kefu:ready' && data.labels) {
      label.textContent = data.labels.open || '';
      launcher.setAttribute('aria-label', data.labels.open || '');
      panel.setAttribute('role', 'dialog');
      panel.setAttribute('aria-label', data.labels.open || '');
      frame.title = data.labels.open || '';
      badge.setAttribute('aria-label', data.labels.unread || '');
    }
    if (data.type === 'kefu:close') close();
    if (data.type === 'kefu:unread' && !panel.classList.contains('open')) badge.classList.add('on');
  });
  root.append(style, launcher, panel);

  function mount() {
    document.body.append(host);
    var wasOpen = null;
    try { wasOpen = localStorage.getItem(openKey); } catch (e) { wasOpen = null; }
    if (wasOpen) open();
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
  window.KefuWidget = { open: open, close: close };
})();
