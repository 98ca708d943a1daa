// The analysis services registered with the server, linked with this slice.
import { get } from '../api.js';
import { h } from '../ui.js';

export function servicesSection({ slice, sliceId }) {
  const box = h('section', { id: 'services' }, h('h3', {}, 'Analysis services'));
  get('/api/v1/services').then((services) => {
    if (!services.length) box.append(h('p.muted', {}, 'No service registered.'));
    for (const s of services) {
      const url = new URL(s.url, location.href);
      url.searchParams.set('server', location.origin);
      url.searchParams.set('project', slice.projectId);
      url.searchParams.set('series', slice.seriesId);
      url.searchParams.set('slice', sliceId);
      box.append(h('p', {}, h('a', { href: url.href, target: '_blank', rel: 'noopener' }, `Open ${s.name}`), s.description ? h('span.muted', {}, ` — ${s.description}`) : null));
    }
  }).catch(() => box.append(h('p.muted', {}, 'Services could not be listed.')));
  return box;
}
