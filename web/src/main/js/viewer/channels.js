// The channels of a slide that is not 8-bit colour (16-bit, float, fluorescence): which are shown,
// in which colour, over which range of their original values. The settings are the slice's, kept
// by the server for everyone who views it (editors change them); the server renders the tiles
// through them, so after a change the slide's tiles are fetched again, under new URLs.
import { del, get, put } from '../api.js';
import { clear, h, showError } from '../ui.js';
import { showNewLook } from './deep-zoom.js';

export function channelsSection({ viewer, sliceId, canEdit }) {
  const element = h('section', { id: 'channels', hidden: true });

  function render(d) {
    clear(element);
    if (d.rgb) {
      element.hidden = true;
      return;
    }
    element.hidden = false;
    const rows = d.channels.map((c, i) => {
      const s = d.display[i];
      const auto = d.automatic[i];
      const field = (name, value) => h('input', { type: 'number', step: 'any', value: String(value), disabled: !canEdit,
        class: `channel-${name}`, title: `${name === 'min' ? 'Black' : 'White'} at this value (automatic: ${name === 'min' ? auto.min : auto.max})` });
      const row = {
        visible: h('input', { type: 'checkbox', checked: s.visible, disabled: !canEdit, class: 'channel-visible', title: 'Show this channel' }),
        color: h('input', { type: 'color', value: s.color, disabled: !canEdit, class: 'channel-color', title: 'Colour of this channel' }),
        min: field('min', s.min),
        max: field('max', s.max),
      };
      row.element = h('div.channel', { 'data-channel': String(i) },
        h('div.channel-head', {}, row.visible, row.color, h('span.channel-name', {}, c.name), h('span.muted', {}, c.sample)),
        h('div.channel-range', {}, row.min, ' – ', row.max));
      return row;
    });
    const title = h('h3', {}, 'Channels', d.stored ? h('span.muted', {}, ' (set for this slide)') : h('span.muted', {}, ' (automatic)'));
    element.append(title, ...rows.map((r) => r.element));
    if (canEdit) {
      const apply = h('button', { id: 'channels-apply', onclick: () => save(rows) }, 'Apply');
      const automatic = h('button.link', { id: 'channels-automatic', disabled: !d.stored, onclick: () => reset() }, 'Automatic ranges');
      element.append(h('div.row', {}, apply, ' ', automatic));
    }
  }

  async function save(rows) {
    const display = rows.map((r) => ({ visible: r.visible.checked, color: r.color.value, min: Number(r.min.value), max: Number(r.max.value) }));
    try {
      render(await put(`/api/v1/slices/${sliceId}/display`, { display }));
      showNewLook(viewer);
    } catch (e) {
      showError(e);
    }
  }

  async function reset() {
    try {
      render(await del(`/api/v1/slices/${sliceId}/display`));
      showNewLook(viewer);
    } catch (e) {
      showError(e);
    }
  }


  get(`/api/v1/slices/${sliceId}/display`).then(render, showError);
  return { element };
}
