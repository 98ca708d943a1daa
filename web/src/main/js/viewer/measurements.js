// The regions measured: a table of every region of the slice (class, area, perimeter, layer,
// author), sortable by any column, with per-class counts and totals for the slice and for the whole
// series, and a CSV of what the table shows. Areas and perimeters come from the server (JTS), in µm²
// and µm when the slide knows its pixel size.
import { get } from '../api.js';
import { h, clear, download, showError } from '../ui.js';
import { areaText, lengthText } from './units.js';

const COLUMNS = [
  { id: 'className', label: 'Class', value: (r) => r.className || '' },
  { id: 'area', label: 'Area', value: (r) => r.areaPx, numeric: true },
  { id: 'perimeter', label: 'Perimeter', value: (r) => r.perimeterPx, numeric: true },
  { id: 'layer', label: 'Layer', value: (r) => r.layer },
  { id: 'author', label: 'Author', value: (r) => r.author || '' },
];
const SHOWN = 1000;

export function measurementsSection({ slice, sliceId, store }) {
  const open = h('button', { id: 'measurements-open', onclick: () => show().catch(showError) }, 'Table of regions…');
  const element = h('section', { id: 'measurements' }, h('h3', {}, 'Measurements'),
    h('p.muted', {}, 'Area and perimeter of every region, totals per class for this slice and the series; ruler: M.'), open);
  const mpp = slice.micronsPerPixel;

  async function show() {
    await store.flushed();
    const [mine, series] = await Promise.all([
      get(`/api/v1/slices/${sliceId}/measurements`),
      get(`/api/v1/series/${slice.seriesId}/measurements`),
    ]);
    const layers = [...new Set(mine.regions.map((r) => r.layer))].sort();
    const layer = h('select', { id: 'measurements-layer', onchange: () => render() }, h('option', { value: '' }, 'all layers'),
      layers.map((l) => h('option', { value: l, selected: l === 'human' }, l)));
    let sort = { column: 'area', descending: true };
    const head = h('tr');
    const body = h('tbody');
    const classTotals = h('tbody');
    const seriesTotals = h('tbody');
    const note = h('p.muted');
    const rows = () => mine.regions.filter((r) => !layer.value || r.layer === layer.value);
    function sorted() {
      const c = COLUMNS.find((x) => x.id === sort.column);
      const out = rows().slice().sort((a, b) => {
        const x = c.value(a), y = c.value(b);
        const d = c.numeric ? x - y : String(x).localeCompare(String(y));
        return sort.descending ? -d : d;
      });
      return out;
    }
    function render() {
      clear(head);
      for (const c of COLUMNS) {
        const mark = sort.column === c.id ? (sort.descending ? ' ▼' : ' ▲') : '';
        head.append(h('th', {
          'data-column': c.id, class: 'sortable', title: 'Sort by this column',
          onclick: () => { sort = { column: c.id, descending: sort.column === c.id ? !sort.descending : c.numeric }; render(); },
        }, c.label + mark));
      }
      clear(body);
      const list = sorted();
      for (const r of list.slice(0, SHOWN)) {
        body.append(h('tr', { 'data-region': r.id }, h('td', {}, r.className || '—'), h('td.num', {}, areaText(r.areaPx, mpp)),
          h('td.num', {}, lengthText(r.perimeterPx, mpp)), h('td', {}, r.layer), h('td', {}, r.author || '')));
      }
      note.textContent = list.length > SHOWN ? `The first ${SHOWN} of ${list.length} regions are shown; the CSV has them all.` : '';
      clear(classTotals);
      for (const t of totals(list)) {
        classTotals.append(h('tr', {}, h('td', {}, t.className || '—'), h('td.num', {}, String(t.count)),
          h('td.num', {}, areaText(t.areaPx, mpp)), h('td.num', {}, lengthText(t.perimeterPx, mpp))));
      }
      clear(seriesTotals);
      const names = new Map(series.slices.map((s) => [s.id, s]));
      for (const t of series.totals.filter((x) => !layer.value || x.layer === layer.value)) {
        const s = names.get(t.slice) || {};
        seriesTotals.append(h('tr', {}, h('td', {}, s.name || String(t.slice)), h('td', {}, t.layer), h('td', {}, t.className || '—'),
          h('td.num', {}, String(t.count)), h('td.num', {}, areaText(t.areaPx, s.micronsPerPixel)),
          h('td.num', {}, lengthText(t.perimeterPx, s.micronsPerPixel))));
      }
    }
    const dialog = h('dialog.measurements', { id: 'measurements-dialog' },
      h('h3', {}, `Regions of ${slice.name}`, ' ', layer, ' ',
        h('button', { id: 'measurements-csv', onclick: () => download(`${slice.name.replace(/\.[^.]+$/, '')}-regions.csv`, csv(sorted(), slice.name, mpp), 'text/csv') }, 'Download CSV'),
        ' ', h('button', { onclick: () => dialog.close() }, 'Close')),
      h('div.columns', {},
        h('div', {}, h('table.regions', { id: 'region-table' }, h('thead', {}, head), body), note),
        h('div', {},
          h('h4', {}, 'This slice, per class'),
          h('table', { id: 'class-totals' }, h('thead', {}, h('tr', {}, h('th', {}, 'Class'), h('th', {}, 'Regions'), h('th', {}, 'Area'), h('th', {}, 'Perimeter'))), classTotals),
          h('h4', {}, 'The series, per slice and class'),
          h('table', { id: 'series-totals' }, h('thead', {}, h('tr', {}, h('th', {}, 'Slice'), h('th', {}, 'Layer'), h('th', {}, 'Class'),
            h('th', {}, 'Regions'), h('th', {}, 'Area'), h('th', {}, 'Perimeter'))), seriesTotals))));
    render();
    document.body.append(dialog);
    dialog.addEventListener('close', () => dialog.remove());
    dialog.showModal();
  }
  return { element, show };
}

/** Count, area and perimeter per class of the rows, largest area first. */
function totals(rows) {
  const by = new Map();
  for (const r of rows) {
    const t = by.get(r.className) || { className: r.className, count: 0, areaPx: 0, perimeterPx: 0 };
    t.count++;
    t.areaPx += r.areaPx;
    t.perimeterPx += r.perimeterPx;
    by.set(r.className, t);
  }
  return [...by.values()].sort((a, b) => b.areaPx - a.areaPx);
}

/** The rows as CSV (RFC 4180 quoting), with µm columns when the pixel size is known. */
export function csv(rows, sliceName, mpp) {
  const head = ['slice', 'region', 'layer', 'class', 'author', 'area_px2', 'perimeter_px', 'area_um2', 'perimeter_um'];
  const lines = [head.join(',')];
  for (const r of rows) {
    lines.push([sliceName, r.id, r.layer, r.className || '', r.author || '', round(r.areaPx), round(r.perimeterPx),
      mpp ? round(r.areaPx * mpp * mpp) : '', mpp ? round(r.perimeterPx * mpp) : ''].map(quote).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

function quote(v) {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function round(v) {
  return Math.round(v * 1000) / 1000;
}
