// Entry of /chat: the H5 page, and the panel the widget embeds (`?embed=1&channel=web-pc`).
import { VisitorChat } from './app.js';
import { applyLang, t } from '../i18n.js';

const params = new URLSearchParams(location.search);
const channelParam = params.get('channel') || '';
const channel = /^[a-z0-9][a-z0-9_-]{0,63}$/.test(channelParam) ? channelParam : 'web-h5';
const embed = params.get('embed') === '1';
const pageUrl = params.get('page') || '';
// A signed identity from the site's backend: in the fragment (never sent to servers or kept in their logs),
// or as `?identity=` on an H5 link.
const identity = new URLSearchParams(location.hash.slice(1)).get('identity') || params.get('identity') || '';
// The skill group of the entry (技能组): the widget's data-group, or ?group= on the H5 page.
const group = params.get('group') || undefined;
applyLang();
document.body.classList.toggle('embedded', embed);
const chat = new VisitorChat(document.getElementById('app'), { channel, embed, pageUrl, identity, group });
chat.start();
window.kefuChat = chat;
if (embed && window.parent !== window) {
  window.parent.postMessage({ type: 'kefu:ready', labels: { open: t('widget.open'), close: t('common.close'), unread: t('widget.unread') } }, '*');
}
