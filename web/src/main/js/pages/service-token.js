// Hands the segmentation service a token of the user's own rights: a registered service's page
// sends its user here (#/service-token?return=ITS-URL&project=ID); the token, scoped to one project
// and living an hour, goes back in the address's fragment (never sent to any server).
import { get, post } from '../api.js';
import { h, setCrumbs } from '../ui.js';

export async function serviceTokenPage({ page }, params) {
  setCrumbs({ label: 'Projects', href: '#/' }, { label: 'Segmentation service' });
  const back = params.get('return') || '';
  const services = await get('/api/v1/services');
  const service = services.find((s) => sameService(back, new URL(s.url, location.href)));
  const card = h('section.card', { id: 'service-token' });
  page.append(card);
  if (!service) {
    card.append(h('p.error', {}, 'This address is not a segmentation service registered with this server: ', back || '(none)'));
    return;
  }
  const go = async (project) => {
    const minted = await post('/api/v1/auth/service-token', { project });
    const to = new URL(back);
    to.searchParams.set('project', project);
    to.hash = 'token=' + encodeURIComponent(minted.token);
    location.assign(to.href);
  };
  const wanted = Number(params.get('project'));
  const projects = (await get('/api/v1/projects')).filter((p) => p.role);
  if (wanted && projects.some((p) => p.id === wanted)) {
    card.append(h('p', {}, `Opening ${service.name}…`));
    await go(wanted);
    return;
  }
  card.append(h('h1', {}, service.name), h('p.muted', {}, 'The service will act with your own rights in the project you choose, for an hour.'),
    projects.length ? h('ul.list', {}, projects.map((p) => h('li', {},
      h('button.link', { 'data-project': p.id, onclick: () => go(p.id) }, p.name), ' ', h('span.role', {}, p.role))))
      : h('p.muted', {}, 'You are not a member of any project.'));
}

/** The address is the service's (same origin, under its path). */
function sameService(address, serviceUrl) {
  try {
    const a = new URL(address);
    return a.origin === serviceUrl.origin && a.pathname.startsWith(serviceUrl.pathname);
  } catch {
    return false;
  }
}
