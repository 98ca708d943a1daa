import { get, post } from '../api.js';
import { h, setCrumbs, showError } from '../ui.js';

export async function projectsPage({ page, go }) {
  setCrumbs({ label: 'Projects' });
  const projects = await get('/api/v1/projects');
  const name = h('input', { id: 'new-project-name', placeholder: 'New project name', required: true });
  page.append(
    h('section.card', {},
      h('h1', {}, 'Projects'),
      projects.length === 0 ? h('p.muted', {}, 'No project yet.') : null,
      h('ul.list', { id: 'projects' }, projects.map((p) =>
        h('li', {}, h('a', { href: `#/projects/${p.id}` }, p.name), ' ', h('span.role', {}, p.role || (p.publicRead ? 'public' : ''))))),
      h('form.inline', {
        onsubmit: async (e) => {
          e.preventDefault();
          try {
            const created = await post('/api/v1/projects', { name: name.value.trim() });
            go(`#/projects/${created.id}`);
          } catch (err) { showError(err); }
        },
      }, name, h('button', { type: 'submit' }, 'Create project'))));
}
