// A project: its series and slices (with upload and ingest progress), its region ontology and members.
import { api, get, post, put, del, upload } from '../api.js';
import { h, clear, setCrumbs, showError, toast, download } from '../ui.js';
import { exchangeFormats } from '../viewer/exchange.js';
import { tokensCard } from './tokens.js';
import { STAINS } from '../viewer/segmentation-panel.js';
import { slideFacts, editPixelSize } from '../viewer/slide-info.js';

const uploadBoxes = new Map();

export async function projectPage({ page, user }, projectId) {
  uploadBoxes.clear();
  const project = await get(`/api/v1/projects/${projectId}`);
  setCrumbs({ label: 'Projects', href: '#/' }, { label: project.name });
  const canEdit = project.role === 'owner' || project.role === 'editor' || user.admin;
  const isOwner = project.role === 'owner' || user.admin;
  const seriesBox = h('div', { id: 'series' });
  const stain = h('select', { id: 'project-stain', disabled: !isOwner, onchange: async () => {
    try { await put(`/api/v1/projects/${projectId}`, { stain: stain.value }); toast('Stain saved: the segmentation trains on its channels'); } catch (e) { showError(e); }
  } }, STAINS.map((s) => h('option', { value: s.id, selected: s.id === (project.stain || 'he') }, s.label)));
  page.append(h('section.card', {}, h('h1', {}, project.name), project.description ? h('p', {}, project.description) : null,
    h('p.muted', {}, `Your role: ${project.role || 'reader'}`),
    h('label.inline-label', {}, 'Stain of the slides ', stain), seriesBox));

  async function renderSeries() {
    const all = await get(`/api/v1/projects/${projectId}/series`);
    clear(seriesBox);
    for (const s of all) seriesBox.append(seriesCard(s, canEdit, isOwner, renderSeries));
    if (canEdit) {
      const name = h('input', { id: 'new-series-name', placeholder: 'New series name', required: true });
      seriesBox.append(h('form.inline', {
        onsubmit: async (e) => {
          e.preventDefault();
          try { await post(`/api/v1/projects/${projectId}/series`, { name: name.value.trim() }); await renderSeries(); } catch (err) { showError(err); }
        },
      }, name, h('button', { type: 'submit' }, 'Create series')));
    }
  }
  await renderSeries();
  page.append(await ontologyCard(projectId, canEdit));
  if (isOwner) page.append(await tokensCard(projectId));
  if (isOwner) page.append(await membersCard(projectId));
}

function seriesCard(series, canEdit, isOwner, refresh) {
  const slices = series.slices || [];
  // Kept across re-renders, so a failed upload's message stays until the page is left.
  if (!uploadBoxes.has(series.id)) uploadBoxes.set(series.id, h('div.uploads'));
  const uploads = uploadBoxes.get(series.id);
  const fileInput = h('input', {
    type: 'file', multiple: true, accept: '.png,.jpg,.jpeg,.tif,.tiff', class: 'upload-input',
    onchange: async () => {
      const files = [...fileInput.files];
      fileInput.value = '';
      let added = 0;
      for (const file of files) if (await uploadSlice(series.id, file, uploads, mpp.value)) added++;
      if (added) await refresh();
    },
  });
  const mpp = h('input', { type: 'number', class: 'upload-mpp', min: 0.01, max: 100, step: 'any', size: 6, placeholder: 'e.g. 0.25',
    title: 'Pixel size of the slides to add, in µm per pixel (used when the file does not record it)' });
  const format = h('select', { class: 'export-format' }, exchangeFormats.map((f) => h('option', { value: f.id }, f.label)));
  return h('article.series', { 'data-series': series.id },
    h('h2', {}, series.name, ' ', h('span.muted', {}, `${slices.length} slice${slices.length === 1 ? '' : 's'}`)),
    h('ol.slices', {}, slices.map((s) => h('li', { 'data-slice': s.id },
      h('a', { href: `#/slices/${s.id}`, title: `${s.width} × ${s.height} px` },
        h('img', { src: `${s.iiif}/full/!160,160/0/default.jpg`, alt: '', loading: 'lazy' }),
        h('span', {}, s.name)),
      h('span.facts', {}, slideFacts(s)),
      isOwner ? h('button.link', { class: 'edit-mpp', onclick: () => editPixelSize(s).then((ok) => ok && refresh()) }, 'pixel size…') : null))),
    h('div.row', {},
      canEdit ? h('label.small', {}, 'Pixel size (µm/px)', mpp) : null,
      canEdit ? h('label.button', {}, 'Add slices…', fileInput) : null,
      slices.length ? h('span.group', {}, 'Export all regions as ', format,
        h('button', {
          onclick: async () => {
            try {
              const response = await fetch(`/api/v1/series/${series.id}/export?format=${format.value}`, { credentials: 'same-origin' });
              if (!response.ok) throw new Error((await response.json()).error);
              download(`${series.name}-${format.value}.zip`, await response.blob());
            } catch (err) { showError(err); }
          },
        }, 'Download')) : null),
    canEdit && slices.length ? h('div.row', {}, h('label.button', {}, 'Import regions (zip, one file per slice)…', h('input', {
      type: 'file', accept: '.zip', class: 'series-import',
      onchange: async (e) => {
        const file = e.target.files[0];
        e.target.value = '';
        if (!file) return;
        try {
          const r = await api('POST', `/api/v1/series/${series.id}/import?format=auto`, file);
          const n = r.slices.reduce((a, s) => a + s.imported, 0);
          const skipped = r.slices.reduce((a, s) => a + (s.skipped || 0), 0);
          toast(`Imported ${n} regions into ${r.slices.length} slices${skipped ? `; ${skipped} features left out (points, lines, outlines that cannot be repaired)` : ''}${r.unmatched.length ? `; no slice for ${r.unmatched.join(', ')}` : ''}`);
        } catch (err) { showError(err); }
      },
    }))) : null,
    uploads);
}

/** Uploads one file, then follows its ingest job until the pyramid is built. */
async function uploadSlice(seriesId, file, box, micronsPerPixel) {
  const bar = h('progress', { max: 1, value: 0 });
  const label = h('span', {}, `${file.name}: uploading`);
  const row = h('div.upload', { 'data-file': file.name }, label, bar);
  box.append(row);
  try {
    const job = await upload(`/api/v1/series/${seriesId}/slices`, 'file', file, (f) => { bar.value = f * 0.5; }, { micronsPerPixel });
    for (;;) {
      const state = await get(`/api/v1/jobs/${job.jobId}`);
      bar.value = 0.5 + 0.5 * (state.progress || 0);
      label.textContent = `${file.name}: ${state.message}`;
      if (state.state === 'done') { toast(`${file.name} is ready`); row.remove(); return true; }
      if (state.state === 'failed') throw new Error(`${file.name}: ${state.message}`);
      await new Promise((r) => setTimeout(r, 400));
    }
  } catch (e) {
    row.classList.add('failed');
    label.textContent = e.message.startsWith(file.name) ? e.message : `${file.name}: ${e.message}`;
    showError(label.textContent);
    return false;
  }
}

async function ontologyCard(projectId, canEdit) {
  let classes = await get(`/api/v1/projects/${projectId}/ontology`);
  const table = h('tbody');
  const card = h('section.card', { id: 'ontology' }, h('h2', {}, 'Region classes'),
    h('p.muted', {}, 'Every region has a class; the viewer draws it in the class colour. A parent groups classes (e.g. Cortex › Layer 1).'),
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Colour'), h('th', {}, 'Parent'), h('th'))), table));
  function render() {
    clear(table);
    classes.forEach((c, i) => {
      const parents = h('select', { disabled: !canEdit, onchange: (e) => { c.parent = e.target.value || undefined; } },
        h('option', { value: '' }, '—'),
        classes.filter((o) => o !== c).map((o) => h('option', { value: o.name, selected: o.name === c.parent }, o.name)));
      table.append(h('tr', {},
        h('td', {}, h('input', { value: c.name, disabled: !canEdit, onchange: (e) => { c.name = e.target.value.trim(); } })),
        h('td', {}, h('input', { type: 'color', value: c.color, disabled: !canEdit, onchange: (e) => { c.color = e.target.value; } })),
        h('td', {}, parents),
        h('td', {}, canEdit ? h('button.link', { onclick: () => { classes.splice(i, 1); render(); } }, 'Remove') : null)));
    });
  }
  render();
  if (canEdit) {
    card.append(h('div.row', {},
      h('button', { onclick: () => { classes.push({ name: `Class ${classes.length + 1}`, color: newColour(classes) }); render(); } }, 'Add class'),
      h('button.primary', {
        id: 'save-ontology',
        onclick: async () => {
          try {
            classes = await put(`/api/v1/projects/${projectId}/ontology`, classes.map(({ name, color, parent }) => (parent ? { name, color, parent } : { name, color })));
            render();
            toast('Classes saved');
          } catch (e) { showError(e); }
        },
      }, 'Save classes')));
  }
  return card;
}

async function membersCard(projectId) {
  const list = h('ul.list');
  async function render() {
    const members = await get(`/api/v1/projects/${projectId}/members`);
    clear(list);
    for (const m of members) {
      list.append(h('li', {}, `${m.username} — ${m.role} `,
        h('button.link', {
          onclick: async () => {
            try { await del(`/api/v1/projects/${projectId}/members/${encodeURIComponent(m.username)}`); await render(); } catch (e) { showError(e); }
          },
        }, 'Remove')));
    }
  }
  await render();
  const username = h('input', { name: 'username', placeholder: 'User name', required: true });
  const role = h('select', { name: 'role' }, ['viewer', 'editor', 'owner'].map((r) => h('option', { value: r }, r)));
  return h('section.card', { id: 'members' }, h('h2', {}, 'Members'), list,
    h('form.inline', {
      onsubmit: async (e) => {
        e.preventDefault();
        try { await put(`/api/v1/projects/${projectId}/members/${encodeURIComponent(username.value.trim())}`, { role: role.value }); username.value = ''; await render(); } catch (err) { showError(err); }
      },
    }, username, role, h('button', { type: 'submit' }, 'Add member')));
}

/**
 * Colours for new classes that no common stain has (not the browns of DAB, the blues and purples
 * of hematoxylin, the pinks of eosin): saturated greens, yellows, cyans, oranges, magenta. The
 * first not yet used, then any.
 */
const CLASS_COLOURS = ['#00c853', '#ffd600', '#00e5ff', '#ff6d00', '#d500f9', '#76ff03', '#2962ff', '#ff1744', '#1de9b6', '#c6ff00'];

function newColour(classes) {
  const used = new Set(classes.map((c) => String(c.color).toLowerCase()));
  return CLASS_COLOURS.find((c) => !used.has(c)) || CLASS_COLOURS[classes.length % CLASS_COLOURS.length];
}
