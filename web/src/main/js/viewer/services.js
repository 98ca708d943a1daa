// The analysis services registered with the server: the segmentation service opens as a panel
// of this viewer (same login: it is called with a token of the server); others are linked.
import { get } from '../api.js';
import { h } from '../ui.js';

export function servicesSection({ slice, sliceId, panel }) {
  const box = h('section', { id: 'services' }, h('h3', {}, 'Analysis'), h('p', {}, panel.button));
  get('/api/v1/services').then((services) => {
    if (!services.length) box.append(h('p.muted', {}, 'No service registered.'));
    for (const s of services.slice(1)) {
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
