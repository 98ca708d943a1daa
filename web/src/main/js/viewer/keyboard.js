// The viewer's keys. The drawing tools own their letters (OpenSeadragon keeps only the arrows,
// = - and 0: see deep-zoom.js); `?` lists them all.
import { h } from '../ui.js';

/**
 * tools: [{id, key, label}]; actions: [{id, key, label, run}] (key as shown, lower-cased for
 * single letters); the rest are callbacks.
 */
export function keyboard({ tools, actions, activeTool, useTool, canEdit, overlay, store, chooseClass, setClass, ontology,
  brush, previousSlice, nextSlice, clearSelection }) {
  function onKey(e) {
    if (e.target.closest && e.target.closest('input, textarea, select, dialog')) return;
    const tool = activeTool();
    if (tool && tool.key && tool.key(e)) { e.preventDefault(); return; }
    const k = e.key.toLowerCase();
    const mod = e.ctrlKey || e.metaKey;
    if (e.key === ' ') { overlay.spaceHeld = true; overlay.canvas.style.pointerEvents = 'none'; e.preventDefault(); return; }
    if (mod && k === 'z') { e.preventDefault(); if (e.shiftKey) store.redo(); else store.undo(); return; }
    if (mod && k === 'y') { e.preventDefault(); store.redo(); return; }
    if (mod || e.altKey) return;
    const t = tools.find((x) => x.key === k);
    if (t && (canEdit || t.readOnly)) { useTool(t.id); return; }
    if (e.key === 'Delete' || e.key === 'Backspace') { actions.find((a) => a.id === 'delete').run(); e.preventDefault(); return; }
    if (e.key === 'Escape') { clearSelection(); return; }
    const action = actions.find((a) => a.key.length === 1 && a.key.toLowerCase() === k);
    if (action) { action.run(); return; }
    if (e.key === '[' || e.key === ']') { brush.resize(e.key === ']' ? 1.25 : 0.8); return; }
    const digit = /^Digit([1-9])$/.exec(e.code);
    if (digit && ontology[Number(digit[1]) - 1]) {
      const name = ontology[Number(digit[1]) - 1].name;
      if (e.shiftKey) setClass(name); else chooseClass(name);
      return;
    }
    if (e.key === 'PageUp' || e.key === ',') { previousSlice(); e.preventDefault(); return; }
    if (e.key === 'PageDown' || e.key === '.') { nextSlice(); e.preventDefault(); return; }
    if (e.key === '?') showHelp();
  }
  function onKeyUp(e) {
    if (e.key === ' ') { overlay.spaceHeld = false; overlay.canvas.style.pointerEvents = ''; }
  }
  function showHelp() {
    const lines = [...tools.map((t) => [t.key.toUpperCase(), t.label]), ...actions.map((a) => [a.key.length === 1 ? a.key.toUpperCase() : a.key, a.label]),
      ['Space (hold)', 'Pan with any tool'], ['Arrows, = / -, 0', 'Pan, zoom in / out, whole slide'],
      ['1–9', 'Choose the class to draw'], ['Shift+1–9', 'Give the selected regions that class'], ['[ / ]', 'Brush size'],
      ['PageUp / PageDown', 'Previous / next slice'], ['Enter / Esc / Backspace', 'Finish / cancel / remove last point of a polygon'],
      ['Alt+click', 'Delete a vertex (edit vertices)']];
    const dialog = h('dialog.help', {}, h('h3', {}, 'Keyboard shortcuts'), h('table', {}, lines.map(([key, v]) => h('tr', {}, h('td', {}, h('kbd', {}, key)), h('td', {}, v)))),
      h('form', { method: 'dialog' }, h('button', {}, 'Close')));
    document.body.append(dialog);
    dialog.addEventListener('close', () => dialog.remove());
    dialog.showModal();
  }
  document.addEventListener('keydown', onKey);
  document.addEventListener('keyup', onKeyUp);
  return {
    showHelp,
    close() {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('keyup', onKeyUp);
    },
  };
}
