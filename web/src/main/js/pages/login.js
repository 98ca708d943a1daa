import { post, setCsrf } from '../api.js';
import { h, setCrumbs } from '../ui.js';

export function loginPage({ page, user, go }) {
  if (user) { go('#/'); return; }
  setCrumbs({ label: 'Log in' });
  const error = h('p.error', { id: 'login-error' });
  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form.card.login', {
    onsubmit: async (e) => {
      e.preventDefault();
      error.textContent = '';
      try {
        const answer = await post('/api/v1/auth/login', { username: username.value, password: password.value });
        setCsrf(answer.csrfToken);
        const next = sessionStorage.getItem('afterLogin') || '#/';
        sessionStorage.removeItem('afterLogin');
        if (location.hash === next) window.dispatchEvent(new HashChangeEvent('hashchange'));
        else go(next);
      } catch (err) {
        error.textContent = err.message;
      }
    },
  },
  h('h1', {}, 'Log in to HistoDraw'),
  h('label', {}, 'User name', username),
  h('label', {}, 'Password', password),
  h('button.primary', { type: 'submit', id: 'login' }, 'Log in'),
  error);
  page.append(form);
}
