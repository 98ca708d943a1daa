// The segmentation panel's plots (Chart.js: see docs/decisions.md): which features the forest
// leaned on, and the area of each class along the series in the classes' colours.
import { Chart, BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend } from 'chart.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

/** Horizontal bars, one per feature ({name, share}), with the whole feature name beside each. */
export function importancesChart(canvas, importances) {
  return new Chart(canvas, {
    type: 'bar',
    data: { labels: importances.map((f) => f.name), datasets: [{ label: 'share of the forest\'s splits', data: importances.map((f) => 100 * f.share), backgroundColor: '#4f6d7a' }] },
    options: {
      indexAxis: 'y', animation: false, maintainAspectRatio: false,
      scales: {
        x: { title: { display: true, text: '% of the importance' } },
        // Room for the whole feature name (Chart.js would give the axis at most a third of the width).
        y: { ticks: { autoSkip: false, font: { size: 11 } }, afterFit: (scale) => { scale.width = Math.max(scale.width, Math.min(240, scale.chart.width * 0.6)); } },
      },
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => `${c.parsed.x.toFixed(1)} %` } } },
    },
  });
}

/**
 * One line per class along the series: rows are the service's {image, className, areaPx, areaUm2};
 * slice names on the axis, class colours, the value on hover (µm² when every slice knows its pixel size).
 */
export function areasChart(canvas, rows, colours) {
  const images = [...new Set(rows.map((r) => r.image))];
  const classes = [...new Set(rows.map((r) => r.className))];
  const microns = rows.every((r) => r.areaUm2 !== null && r.areaUm2 !== undefined);
  const unit = microns ? 'µm²' : 'px²';
  return new Chart(canvas, {
    type: 'line',
    data: {
      labels: images,
      datasets: classes.map((c) => ({
        label: c, borderColor: colours.get(c) || '#888', backgroundColor: colours.get(c) || '#888', tension: 0.2,
        data: images.map((img) => { const r = rows.find((q) => q.image === img && q.className === c); return r ? (microns ? r.areaUm2 : r.areaPx) : null; }),
      })),
    },
    options: {
      animation: false, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
      scales: { y: { beginAtZero: true, title: { display: true, text: `area (${unit})` } }, x: { title: { display: true, text: 'slice' } } },
      plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${Math.round(c.parsed.y).toLocaleString()} ${unit}` } } },
    },
  });
}
