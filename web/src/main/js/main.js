// Entry point: a hash router over the pages (login, projects, a project, the slide viewer).
import { whoAmI, post, setCsrf } from './api.js';
import { h, clear, showError } from './ui.js';
import { loginPage } from './pages/login.js';
import { projectsPage } from './pages/projects.js';
import { projectPage } from './pages/project.js';
import { viewerPage } from './pages/viewer.js';
import { usersPage } from './pages/admin.js';
import { accountPage } from './pages/account.js';

const routes = [
  [/^#\/login$/, () => loginPage],
  [/^#\/projects\/(\d+)$/, (m) => (ctx) => projectPage(ctx, Number(m[1]))],
  [/^#\/slices\/(\d+)(?:\?(.*))?$/, (m) => (ctx) => viewerPage(ctx, Number(m[1]), new URLSearchParams(m[2] || ''))],
  [/^#\/admin\/users$/, () => usersPage],
  [/^#\/account$/, () => accountPage],
  [/^#?\/?$/, () => projectsPage],
];

let current = null; // the open page's cleanup function

async function route() {
  if (current) {
    try { current(); } catch (e) { console.error(e); }
    current = null;
  }
  const page = clear(document.getElementById('page'));
  const hash = location.hash || '#/';
  const user = await whoAmI().catch((e) => { showError(e); return null; });
  renderWho(user);
  if (!user && hash !== '#/login') {
    sessionStorage.setItem('afterLogin', hash);
    location.hash = '#/login';
    return;
  }
  for (const [pattern, make] of routes) {
    const m = hash.match(pattern);
    if (m) {
      try {
        current = (await make(m)({ page, user, go: (to) => { location.hash = to; } })) || null;
      } catch (e) {
        showError(e);
        page.append(h('p.error', {}, e.message));
      }
      return;
    }
  }
  page.append(h('p', {}, 'Nothing here. ', h('a', { href: '#/' }, 'Back to the projects')));
}

function renderWho(user) {
  const who = clear(document.getElementById('who'));
  if (!user) return;
  if (user.admin) who.append(h('a', { href: '#/admin/users', id: 'nav-users' }, 'Users'), ' ');
  who.append(h('a', { href: '#/account', id: 'nav-account' }, h('span.user', {}, user.username)), ' ',
    h('button.link', {
      id: 'logout',
      onclick: async () => {
        await post('/api/v1/auth/logout').catch(() => {});
        setCsrf(null);
        location.hash = '#/login';
      },
    }, 'Log out'));
}

// An unexpected error is shown, not swallowed: the user knows something went wrong.
window.__errors = [];
window.addEventListener('error', (e) => { window.__errors.push(String(e.message)); showError(`Unexpected error: ${e.message}`); });
window.addEventListener('unhandledrejection', (e) => { window.__errors.push(String(e.reason)); showError(e.reason); });

window.addEventListener('hashchange', route);
route();
