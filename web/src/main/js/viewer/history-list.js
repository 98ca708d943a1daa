// Every change of the slice, newest first, each with "restore" (the slice as it was right after it).
import { get, post } from '../api.js';
import { h, clear, showError, toast } from '../ui.js';

export function historyList({ sliceId, canEdit, reload }) {
  const list = h('ol.history', { id: 'history' });
  let timer = null;
  async function render() {
    try {
      const history = await get(`/api/v1/slices/${sliceId}/history?limit=50`);
      if (closed) return;
      clear(list);
      for (const ev of history.events.slice(0, 50)) {
        list.append(h('li', {}, h('span', {}, `${ev.op} ${ev.class || ''} #${ev.regionId}`), h('span.muted', {}, ` ${ev.user} · ${new Date(ev.time).toLocaleString()}`),
          canEdit ? h('button.link', {
            title: 'Bring every region of this slice back to how it was right after this change',
            onclick: async () => {
              if (!confirm('Bring the regions of this slice back to how they were after this change? (This is recorded too, and can be undone the same way.)')) return;
              try {
                const r = await post(`/api/v1/slices/${sliceId}/restore`, { eventId: ev.eventId });
                toast(`Restored: ${r.changed} change${r.changed === 1 ? '' : 's'}`);
                await reload();
                render();
              } catch (e) { showError(e); }
            },
          }, 'restore') : null));
      }
    } catch (e) { if (!closed) showError(e); }
  }
  let closed = false;
  const element = h('section', {}, h('h3', {}, 'History ', h('button.link', { onclick: render }, 'refresh')), list);
  return {
    element,
    render,
    soon() { clearTimeout(timer); timer = setTimeout(render, 1000); },
    close() { closed = true; clearTimeout(timer); },
  };
}
