// The landing page and the widget demo page: static text from the i18n table, and the language switch.
import { applyLang, applyTitle, langSwitch } from './i18n.js';

applyLang();
applyTitle(document.body.classList.contains('demo-page') ? 'demo.title' : 'home.title');
const slot = document.getElementById('lang-slot');
if (slot) slot.append(langSwitch());
