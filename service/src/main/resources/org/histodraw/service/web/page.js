// The service opened on its own: a link back to the viewer (on the slice it was opened from, when
// the viewer's link named one), in the viewer's own look (its stylesheet, from the server).
'use strict';
(async () => {
  const params = new URLSearchParams(location.search);
  let info = null;
  try {
    const r = await fetch('api/info');
    if (r.ok) info = await r.json();
  } catch (e) { /* the link below still works from the page's parameters */ }
  const server = (info && info.server) || params.get('server');
  if (!server) return;
  const base = server.replace(/\/$/, '');
  const slice = params.get('slice');
  const viewer = base + '/' + (slice && /^\d+$/.test(slice) ? '#/slices/' + slice + '?panel=segmentation' : '#/');
  document.getElementById('look').href = base + '/app.css';
  document.getElementById('home').href = base + '/#/';
  document.getElementById('open-viewer').href = viewer;
  if (info) document.getElementById('about').textContent = info.name + ' · works for ' + base + ' · ' + info.threads + ' threads';
})();
