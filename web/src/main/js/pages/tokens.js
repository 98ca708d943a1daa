// A project's API tokens for its owners: who made each, its scopes, expiry and last use; make one
// (its secret is shown once) and revoke one (at once, websockets opened with it included).
import { get, post, del } from '../api.js';
import { h, clear, showError, toast } from '../ui.js';

export async function tokensCard(projectId) {
  const table = h('tbody');
  const secret = h('p', { id: 'token-secret' });
  async function render() {
    const tokens = await get(`/api/v1/projects/${projectId}/tokens`);
    clear(table);
    for (const t of tokens) {
      table.append(h('tr', { 'data-token': t.id },
        h('td', {}, t.name), h('td', {}, t.kind), h('td', {}, t.scopes.join(', ')), h('td', {}, t.createdBy || ''),
        h('td', {}, t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : 'never'),
        h('td', {}, t.expiresAt ? new Date(t.expiresAt).toLocaleString() : '—'),
        h('td', {}, h('button.link', {
          class: 'revoke-token',
          onclick: async () => {
            try { await del(`/api/v1/projects/${projectId}/tokens/${t.id}`); toast(`Token ${t.name} revoked`); await render(); } catch (e) { showError(e); }
          },
        }, 'Revoke'))));
    }
  }
  const name = h('input', { id: 'new-token-name', placeholder: 'Token name', required: true });
  const write = h('input', { id: 'new-token-write', type: 'checkbox' });
  const days = h('input', { id: 'new-token-days', type: 'number', min: 1, max: 3650, placeholder: 'never', size: 6 });
  await render();
  return h('section.card', { id: 'tokens' }, h('h2', {}, 'API tokens'),
    h('p.muted', {}, 'A token acts for its maker, never beyond their role in this project, and dies with their membership.'),
    h('table', {}, h('thead', {}, h('tr', {}, ['Name', 'Kind', 'Scopes', 'Made by', 'Last used', 'Expires', ''].map((c) => h('th', {}, c)))), table),
    h('form.inline', {
      onsubmit: async (e) => {
        e.preventDefault();
        const body = { name: name.value.trim(), scopes: write.checked ? ['read', 'write'] : ['read'] };
        if (days.value) body.expiresAt = new Date(Date.now() + Number(days.value) * 86_400_000).toISOString();
        try {
          const made = await post(`/api/v1/projects/${projectId}/tokens`, body);
          secret.textContent = `Token ${made.name}: ${made.token} (copy it now: it is not shown again)`;
          name.value = '';
          await render();
        } catch (err) { showError(err); }
      },
    }, name, h('label.small', {}, h('span', {}, 'Write'), write), h('label.small', {}, h('span', {}, 'Expires in days'), days),
    h('button', { type: 'submit' }, 'Make token')),
    secret);
}
