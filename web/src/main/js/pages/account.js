// One's own account: a new password (the old one is required; one's other sessions end).
import { put } from '../api.js';
import { h, setCrumbs, toast } from '../ui.js';

export function accountPage({ page, user }) {
  setCrumbs({ label: 'Projects', href: '#/' }, { label: 'Account' });
  const error = h('p.error', { id: 'password-error' });
  const old = h('input', { id: 'old-password', type: 'password', autocomplete: 'current-password', required: true });
  const fresh = h('input', { id: 'new-password', type: 'password', autocomplete: 'new-password', required: true, minlength: 8 });
  const again = h('input', { id: 'new-password-again', type: 'password', autocomplete: 'new-password', required: true });
  page.append(h('form.card.login', {
    onsubmit: async (e) => {
      e.preventDefault();
      error.textContent = '';
      if (fresh.value !== again.value) { error.textContent = 'The new passwords differ.'; return; }
      try {
        await put('/api/v1/me/password', { oldPassword: old.value, newPassword: fresh.value });
        old.value = ''; fresh.value = ''; again.value = '';
        toast('Password changed; your other sessions have ended');
      } catch (err) { error.textContent = err.message; }
    },
  },
  h('h1', {}, user.username),
  h('label', {}, 'Current password', old),
  h('label', {}, 'New password', fresh),
  h('label', {}, 'New password again', again),
  h('button.primary', { type: 'submit', id: 'change-password' }, 'Change password'),
  error));
}
