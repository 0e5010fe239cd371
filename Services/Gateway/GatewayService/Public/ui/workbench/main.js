// Entry of /workbench: the login page first, then the workbench.
import { applyLang, applyTitle, t } from '../i18n.js';
import { auth, loginView } from '../staff.js';
import { Workbench } from './app.js';

applyLang();
applyTitle('wb.title');
const root = document.getElementById('app');

async function main() {
  let account = auth() && auth().account;
  let freshLogin = false;
  if (!account) {
    account = await loginView(root, { title: t('wb.title') });
    freshLogin = true;
  }
  // Supervisors serve no visitors: their page is the monitor (监控).
  if (account.role === 'supervisor') {
    location.replace('/monitor/');
    return;
  }
  const workbench = new Workbench(root, account);
  window.kefuWorkbench = workbench;
  await workbench.start({ freshLogin });
}

window.addEventListener('kefu:signed-out', () => location.reload(), { once: true });
main();
