// The service's page: choose training slices and classes, train, look at the prediction and the
// uncertainty over the slide, apply the model to the series and follow the job. Plain JS, no build.
'use strict';

const $ = (id) => document.getElementById(id);
const state = { info: null, series: null, viewSlice: null, version: 0, jobId: null, viewer: null, layers: {} };

// The token of the annotation server the page acts with: handed over in the address
// (#token=..., put there by the server's "service token" page or the viewer), kept for the tab.
const token = (() => {
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get('token')) {
    sessionStorage.setItem('histodraw-token', hash.get('token'));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem('histodraw-token');
})();
const authorization = () => (token ? { Authorization: 'Bearer ' + token } : {});

/** Without a (valid) token: a link to the server's page that hands one over for this page. */
function signIn(message) {
  const back = new URL(location.href);
  back.hash = '';
  const to = new URL('#/service-token', state.info ? state.info.server : location.origin);
  to.hash = '#/service-token?' + new URLSearchParams({ return: back.href, project: back.searchParams.get('project') || '' });
  const box = $('sign-in');
  box.hidden = false;
  box.replaceChildren(el('p', {}, message + ' '), el('a', { id: 'sign-in-link', href: to.href }, 'Sign in through the annotation server'));
}

async function api(method, path, body) {
  const options = { method, headers: authorization() };
  if (method !== 'GET') {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body || {});
  }
  const response = await fetch(path, options);
  const text = await response.text();
  const data = text ? JSON.parse(text) : {};
  if (response.status === 401) {
    sessionStorage.removeItem('histodraw-token');
    signIn(token ? 'Your sign-in has expired.' : 'Sign in to use the service.');
  }
  if (!response.ok) {
    throw new Error(data.error || (response.status + ' ' + response.statusText));
  }
  return data;
}

function status(text, isError) {
  $('status').textContent = text;
  $('status').style.color = isError ? '#ffb4b4' : '';
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  });
  children.forEach((c) => e.append(c instanceof Node ? c : document.createTextNode(String(c))));
  return e;
}

const svgNs = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, text) {
  const e = document.createElementNS(svgNs, tag);
  Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, v));
  if (text !== undefined) e.textContent = text;
  return e;
}

// ---- series and slices

async function loadProjects(wanted) {
  const projects = await api('GET', '/api/projects');
  const select = $('project');
  select.replaceChildren(...projects.map((p) => el('option', { value: p.id }, p.name)));
  const project = projects.find((p) => p.id === wanted.project) || projects[0];
  if (project) {
    select.value = project.id;
    await loadSeriesList(project.id, wanted);
  }
}

async function loadSeriesList(projectId, wanted) {
  const list = await api('GET', '/api/projects/' + projectId + '/series');
  $('series').replaceChildren(...list.map((s) => el('option', { value: s.id }, s.name + ' (' + s.slices.length + ')')));
  const series = list.find((s) => s.id === (wanted || {}).series) || list[0];
  if (series) {
    $('series').value = series.id;
    await loadSeries(series.id, (wanted || {}).slice);
  }
}

async function loadSeries(seriesId, viewSliceId) {
  state.series = await api('GET', '/api/series/' + seriesId);
  const rows = state.series.slices.map((s, i) => el('tr', {},
    el('td', {}, el('input', { type: 'checkbox', class: 'train', value: s.id, onchange: loadClasses })),
    el('td', {}, el('input', { type: 'radio', name: 'view', value: s.id, onchange: () => showSlice(s.id) })),
    el('td', {}, (i + 1) + '. ' + s.name + ' ', el('span', { class: 'muted' }, s.width + ' x ' + s.height))));
  $('slices').tBodies[0].replaceChildren(...rows);
  $('to').value = state.series.slices.length;
  if (state.series.slices.length) {
    const wanted = state.series.slices.find((s) => s.id === viewSliceId) || state.series.slices[0];
    document.querySelector('input[name=view][value="' + wanted.id + '"]').checked = true;
    showSlice(wanted.id);
  }
}

function trainingSlices() {
  return [...document.querySelectorAll('input.train:checked')].map((c) => Number(c.value));
}

async function loadClasses() {
  const seen = new Map();
  for (const id of trainingSlices()) {
    for (const c of await api('GET', '/api/slices/' + id + '/classes')) {
      const had = seen.get(c.name);
      seen.set(c.name, { name: c.name, color: c.color || (had && had.color), regions: c.regions + (had ? had.regions : 0) });
    }
  }
  const box = $('classes');
  if (!seen.size) {
    box.textContent = trainingSlices().length ? 'No classified regions on these slices yet: draw some in the viewer.' :
      'Tick training slices to see the classes drawn there.';
    return;
  }
  box.replaceChildren(...[...seen.values()].map((c) => el('label', {},
    el('input', { type: 'checkbox', class: 'cls', value: c.name, checked: '' }),
    el('span', { class: 'swatch', style: 'background:' + (c.color || '#999') }), c.name + ' ',
    el('span', { class: 'muted' }, '(' + c.regions + ')'))));
}

// ---- training and the model

async function train() {
  const slices = trainingSlices();
  if (!slices.length) { status('tick at least one training slice', true); return; }
  const classes = [...document.querySelectorAll('input.cls:checked')].map((c) => c.value);
  status('training...');
  try {
    const s = await api('POST', '/api/train', { slices, classes, live: $('live').checked });
    status('trained in ' + s.report.fetchSeconds.toFixed(2) + ' + ' + (s.report.featureSeconds + s.report.forestSeconds).toFixed(2) + ' s');
    showModel(s);
  } catch (e) {
    status(e.message, true);
  }
}

function showModel(s) {
  $('error').textContent = s.lastError ? 'Last retraining failed: ' + s.lastError : '';
  if (!s.version || s.version === state.version) return;
  state.version = s.version;
  $('version').textContent = s.model.name + ' v' + s.model.version + (s.live ? ' (live)' : '');
  const r = s.report;
  $('oob').replaceChildren(
    el('tr', {}, el('th', {}, 'Class'), el('th', {}, 'Out-of-bag'), el('th', {}, 'Pixels')),
    ...r.classes.map((c) => el('tr', {},
      el('td', {}, el('span', { class: 'swatch', style: 'background:' + c.color }), c.name),
      el('td', {}, (100 * c.outOfBagAccuracy).toFixed(1) + ' %'), el('td', {}, c.samples || ''))),
    el('tr', {}, el('td', {}, 'All'), el('td', {}, (100 * r.outOfBagAccuracy).toFixed(1) + ' %'), el('td', {}, r.samples || '')));
  drawImportances(r.importances.slice(0, 12));
  refreshOverlays();
}

function drawImportances(list) {
  const chart = $('importances');
  const rowH = 16, labelW = 150, width = 320;
  chart.setAttribute('height', list.length * rowH + 4);
  chart.replaceChildren();
  const max = Math.max(...list.map((f) => f.share), 1e-9);
  list.forEach((f, i) => {
    const y = i * rowH + 2;
    chart.append(svg('text', { x: labelW - 4, y: y + 11, 'text-anchor': 'end', 'font-size': 11 }, f.name));
    chart.append(svg('rect', { x: labelW, y, width: (width - labelW - 40) * f.share / max, height: rowH - 4, fill: '#4f6d7a' }));
    chart.append(svg('text', { x: labelW + (width - labelW - 40) * f.share / max + 3, y: y + 11, 'font-size': 10 },
      (100 * f.share).toFixed(0) + '%'));
  });
}

async function saveModel() {
  try {
    const m = await api('POST', '/api/models', { name: $('model-name').value.trim() });
    status('saved ' + m.name + ' v' + m.version);
    loadModels();
  } catch (e) {
    status(e.message, true);
  }
}

async function loadModels() {
  const list = await api('GET', '/api/models');
  $('models').replaceChildren(...list.map((m) => el('tr', {},
    el('td', {}, m.name + ' v' + m.version), el('td', { class: 'muted' }, m.classes.join(', ')),
    el('td', {}, el('button', { type: 'button', onclick: () => useModel(m) }, 'Use')))));
}

async function useModel(m) {
  try {
    showModel(await api('POST', '/api/models/' + encodeURIComponent(m.name) + '/' + m.version + '/use'));
    status('using ' + m.name + ' v' + m.version);
  } catch (e) {
    status(e.message, true);
  }
}

// ---- the viewer

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src; s.onload = resolve; s.onerror = () => reject(new Error('cannot load ' + src));
    document.head.append(s);
  });
}

async function startViewer() {
  try {
    await loadScript(state.info.viewerScript);
  } catch (e) {
    $('osd').textContent = 'OpenSeadragon could not be loaded from ' + state.info.viewerScript + ' (the server serves it with its web front end).';
    $('osd').style.color = '#eee';
    return;
  }
  state.viewer = OpenSeadragon({ element: $('osd'), showNavigationControl: false, crossOriginPolicy: false,
    maxZoomPixelRatio: 4, preserveViewport: true, loadTilesWithAjax: true, ajaxHeaders: authorization() });
  if (state.viewSlice) showSlice(state.viewSlice);
}

function showSlice(id) {
  state.viewSlice = id;
  state.layers = {};
  if (!state.viewer) return;
  state.viewer.open('/slides/' + id + '/slide.dzi');
  state.viewer.addOnceHandler('open', refreshOverlays);
}

function addOverlay(kind, opacity) {
  const url = '/preview/' + state.viewSlice + '/slide.dzi?kind=' + kind + '&v=' + state.version;
  state.viewer.addTiledImage({ tileSource: url, opacity, success: (e) => {
    if (state.layers[kind]) state.viewer.world.removeItem(state.layers[kind]);
    state.layers[kind] = e.item;
  } });
}

function refreshOverlays() {
  if (!state.viewer || !state.viewSlice || !state.version || !state.viewer.world.getItemCount()) return;
  addOverlay('classes', Number($('opacity').value));
  if ($('uncertainty').checked) addOverlay('uncertainty', Number($('uopacity').value));
  else if (state.layers.uncertainty) { state.viewer.world.removeItem(state.layers.uncertainty); delete state.layers.uncertainty; }
}

// ---- jobs

async function startJob() {
  if (!state.series) return;
  try {
    const job = await api('POST', '/api/jobs', { series: state.series.id, from: Number($('from').value), to: Number($('to').value) });
    state.jobId = job.id;
    showJob(job);
  } catch (e) {
    status(e.message, true);
  }
}

async function cancelJob() {
  if (state.jobId) await api('POST', '/api/jobs/' + state.jobId + '/cancel');
}

function bar(fraction, small) {
  return el('div', { class: 'bar' + (small ? ' small' : '') }, el('div', { style: 'width:' + (100 * fraction).toFixed(1) + '%' }));
}

function showJob(job) {
  const running = ['queued', 'running', 'publishing'].includes(job.state);
  $('cancel').disabled = !running;
  $('job').replaceChildren(
    el('div', {}, job.id + ': ' + job.state + ' ' + (100 * job.fraction).toFixed(0) + ' % in ' + job.seconds.toFixed(1) + ' s'
      + (job.message ? ' (' + job.message + ')' : '')),
    bar(job.fraction),
    ...job.slices.map((s) => el('div', { title: s.state }, el('span', { class: 'muted' }, s.name + ' ' + s.state), bar(s.tilesDone / Math.max(1, s.tilesTotal), true))));
  if (job.state === 'done') {
    // Fetched with the token (a plain link could not send it), then handed over as a file.
    fetch('/api/jobs/' + job.id + '/areas.csv', { headers: authorization() }).then((r) => r.blob()).then((blob) => {
      if ($('csv').href) URL.revokeObjectURL($('csv').href);
      $('csv').href = URL.createObjectURL(blob);
      $('csv').download = job.id + '-areas.csv';
      $('csv').hidden = false;
    }).catch((e) => status(e.message, true));
    api('GET', '/api/jobs/' + job.id + '/areas').then(drawAreas);
  }
}

function drawAreas(rows) {
  const chart = $('areas');
  chart.replaceChildren();
  if (!rows.length) { chart.setAttribute('height', 0); return; }
  const images = [...new Set(rows.map((r) => r.image))];
  const classes = [...new Set(rows.map((r) => r.className))];
  const microns = rows.every((r) => r.areaUm2 !== null && r.areaUm2 !== undefined);
  const value = (r) => microns ? r.areaUm2 : r.areaPx;
  const w = 320, h = 180, left = 56, bottom = 24, top = 14;
  chart.setAttribute('height', h + 16 * classes.length);
  const max = Math.max(...rows.map(value), 1);
  const x = (i) => left + (images.length === 1 ? 0 : i * (w - left - 10) / (images.length - 1));
  const y = (v) => top + (h - top - bottom) * (1 - v / max);
  chart.append(svg('line', { x1: left, y1: y(0), x2: w - 10, y2: y(0), stroke: '#888' }));
  chart.append(svg('line', { x1: left, y1: top, x2: left, y2: y(0), stroke: '#888' }));
  chart.append(svg('text', { x: left - 4, y: top + 4, 'text-anchor': 'end', 'font-size': 10 }, max.toExponential(1)));
  chart.append(svg('text', { x: left - 4, y: y(0), 'text-anchor': 'end', 'font-size': 10 }, '0'));
  chart.append(svg('text', { x: 2, y: 10, 'font-size': 10 }, microns ? 'area (µm²)' : 'area (px²)'));
  chart.append(svg('text', { x: (left + w) / 2, y: h - 6, 'text-anchor': 'middle', 'font-size': 10 }, 'slice along the series'));
  const palette = ['#4f6d7a', '#c0392b', '#27ae60', '#8e44ad', '#d35400', '#2980b9'];
  classes.forEach((c, k) => {
    const points = images.map((img, i) => {
      const r = rows.find((q) => q.image === img && q.className === c);
      return x(i) + ',' + y(value(r));
    }).join(' ');
    const colour = palette[k % palette.length];
    chart.append(svg('polyline', { points, fill: 'none', stroke: colour, 'stroke-width': 2 }));
    chart.append(svg('text', { x: left, y: h + 12 + 16 * k, 'font-size': 11, fill: colour }, '— ' + c));
  });
}

// ---- polling: the model version (live retraining) and the job

async function poll() {
  try {
    showModel(await api('GET', '/api/state'));
    if (state.jobId) showJob(await api('GET', '/api/jobs/' + state.jobId));
  } catch (e) {
    status(e.message, true);
  }
  setTimeout(poll, 1000);
}

async function start() {
  state.info = await api('GET', '/api/info');
  $('server').textContent = 'server ' + state.info.server;
  if (!token) {
    signIn('The service acts with your own rights on the annotation server.');
    return;
  }
  $('project').onchange = (e) => loadSeriesList(e.target.value, {});
  $('series').onchange = (e) => loadSeries(e.target.value);
  $('train').onclick = train;
  $('save').onclick = saveModel;
  $('start').onclick = startJob;
  $('cancel').onclick = cancelJob;
  $('opacity').oninput = (e) => state.layers.classes && state.layers.classes.setOpacity(Number(e.target.value));
  $('uopacity').oninput = (e) => state.layers.uncertainty && state.layers.uncertainty.setOpacity(Number(e.target.value));
  $('uncertainty').onchange = refreshOverlays;
  const jobs = await api('GET', '/api/jobs');
  if (jobs.length) state.jobId = jobs[0].id;
  // The viewer opens the service for its current series and slice: ?series=ID&slice=ID
  const params = new URLSearchParams(location.search);
  const wanted = { series: Number(params.get('series')), slice: Number(params.get('slice')) };
  if (wanted.series) {
    wanted.project = await api('GET', '/api/series/' + wanted.series).then((s) => s.projectId).catch(() => null);
  }
  await loadProjects(wanted).catch((e) => status(e.message, true));
  loadModels();
  startViewer();
  poll();
}

start().catch((e) => status(e.message, true));
