// User administration (administrators): create accounts, disable or enable them, reset a password,
// end a user's sessions, delete an account. Every action takes effect at once, open websockets included.
import { get, post, put, del, patch } from '../api.js';
import { h, clear, setCrumbs, showError, toast } from '../ui.js';

export async function usersPage({ page, user }) {
  setCrumbs({ label: 'Projects', href: '#/' }, { label: 'Users' });
  if (!user.admin) {
    page.append(h('section.card', {}, h('p.error', {}, 'Only administrators manage users.')));
    return;
  }
  const table = h('tbody');
  const card = h('section.card', { id: 'users' }, h('h1', {}, 'Users'),
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'User'), h('th', {}, 'Administrator'), h('th', {}, 'State'), h('th'))), table));

  async function act(promise, message) {
    try {
      await promise;
      if (message) toast(message);
      await render();
    } catch (e) { showError(e); }
  }

  async function render() {
    const users = await get('/api/v1/users');
    clear(table);
    for (const u of users) {
      const name = encodeURIComponent(u.username);
      const self = u.username === user.username;
      table.append(h('tr', { 'data-user': u.username },
        h('td', {}, u.username),
        h('td', {}, u.admin ? 'yes' : ''),
        h('td', {}, u.disabled ? h('span.error', {}, 'disabled') : 'active'),
        h('td.row', {},
          self ? h('span.muted', {}, 'you') : h('button.link', {
            class: 'toggle-disabled',
            onclick: () => act(patch(`/api/v1/users/${name}`, { disabled: !u.disabled }),
              u.disabled ? `${u.username} can log in again` : `${u.username} is disabled: sessions ended, tokens revoked`),
          }, u.disabled ? 'Enable' : 'Disable'),
          h('button.link', {
            class: 'reset-password',
            onclick: () => {
              const password = prompt(`New password for ${u.username} (at least 8 characters):`);
              if (password) act(put(`/api/v1/users/${name}/password`, { password }), `New password set; ${u.username}'s sessions ended`);
            },
          }, 'Reset password'),
          h('button.link', {
            class: 'end-sessions',
            onclick: () => act(del(`/api/v1/users/${name}/sessions`), `${u.username}'s sessions ended`),
          }, 'End sessions'),
          self ? null : h('button.link', {
            class: 'delete-user',
            onclick: () => {
              if (confirm(`Delete ${u.username}? They leave every project; their name stays in the history.`)) {
                act(del(`/api/v1/users/${name}`), `${u.username} deleted`);
              }
            },
          }, 'Delete'))));
    }
  }

  const username = h('input', { id: 'new-username', placeholder: 'User name', required: true, autocomplete: 'off' });
  const password = h('input', { id: 'new-password', type: 'password', placeholder: 'Password (8+ characters)', required: true, autocomplete: 'new-password' });
  const admin = h('input', { id: 'new-admin', type: 'checkbox' });
  card.append(h('form.inline', {
    onsubmit: (e) => {
      e.preventDefault();
      act(post('/api/v1/users', { username: username.value.trim(), password: password.value, admin: admin.checked }),
        `${username.value.trim()} created`).then(() => { username.value = ''; password.value = ''; admin.checked = false; });
    },
  }, username, password, h('label.small', {}, h('span', {}, 'Administrator'), admin), h('button', { type: 'submit' }, 'Create user')));
  page.append(card);
  await render();
}
