// The regions of the open slice: Paper items kept in step with the server. Every edit is sent at
// once, in order; a failed send is retried until it lands (a stroke is never dropped because the
// network blinked), and an edit the server refuses is undone locally with the server's reason.
// Undo and redo are edits too, so collaborators see them like any other change.
import { api, get } from '../api.js';
import { geometryToItem, itemToGeometry } from './geometry.js';

export const HUMAN = 'human';

/**
 * How a layer is drawn unless the user changes it: the human layer on top, fully opaque with a
 * light fill; a model's layer (generated, browser) below it at half opacity.
 */
export function defaultLayerStyle(name) {
  return name === HUMAN ? { visible: true, opacity: 1, fill: 0.25 } : { visible: true, opacity: 0.5, fill: 0.35 };
}

/** Width of region outlines on screen, in pixels, whatever the zoom. */
export const OUTLINE = { width: 2 };

export class RegionStore {
  constructor(scope, sliceId, { classColour, onChange, onStatus, onError }) {
    this.scope = scope;
    this.sliceId = sliceId;
    this.classColour = classColour;
    this.onChange = onChange || (() => {});
    this.onStatus = onStatus || (() => {});
    this.onError = onError || (() => {});
    this.items = new Map(); // region id -> Paper item
    this.layers = new Map(); // layer name -> Paper layer
    this.layerStyle = new Map(); // layer name -> {visible, opacity}
    this.queue = Promise.resolve();
    this.pending = 0;
    this.undoStack = [];
    this.redoStack = [];
    this.seq = 0;
    this.closed = false;
  }

  /** After the page is left: answers still arriving change nothing. */
  close() {
    this.closed = true;
  }

  styleOf(name) {
    return this.layerStyle.get(name) || defaultLayerStyle(name);
  }

  layer(name) {
    let layer = this.layers.get(name);
    if (!layer) {
      layer = new this.scope.Layer({ name, insert: false });
      const cursors = this.scope.project.layers.find((l) => l.name === '#cursors');
      if (name === HUMAN || !cursors) this.scope.project.addLayer(layer);
      else layer.insertBelow(this.layers.get(HUMAN) || cursors);
      const style = this.styleOf(name);
      layer.visible = style.visible;
      layer.opacity = style.opacity;
      layer.selectedColor = '#00e5ff'; // vertex handles in a colour no stain has
      this.layers.set(name, layer);
    }
    return layer;
  }

  setLayerStyle(name, style) {
    const before = this.styleOf(name);
    const merged = { ...before, ...style };
    this.layerStyle.set(name, merged);
    const layer = this.layers.get(name);
    if (layer) {
      layer.visible = merged.visible;
      layer.opacity = merged.opacity;
      if (merged.fill !== before.fill) for (const item of layer.children) if (item.data && item.data.id != null) this.style(item);
    }
  }

  /** Restyles every region (after the outline width changed). */
  restyle() {
    for (const item of this.items.values()) this.style(item);
  }

  /** Loads every region of the slice (paged by the server's cursor). */
  async load(layer) {
    const features = [];
    let cursor = null;
    do {
      const params = new URLSearchParams({ limit: '5000' });
      if (layer) params.set('layer', layer);
      if (cursor) params.set('cursor', cursor);
      const page = await get(`/api/v1/slices/${this.sliceId}/regions?${params}`);
      if (this.closed) return 0;
      features.push(...page.features);
      this.seq = Math.max(this.seq, page.seq || 0);
      cursor = page.nextCursor || null;
    } while (cursor);
    for (const [id, item] of [...this.items]) {
      if (!layer || item.data.layer === layer) { item.remove(); this.items.delete(id); }
    }
    for (const f of features) this.upsert(f);
    this.onChange();
    return features.length;
  }

  /** Draws or redraws a region from its feature, unless what we hold is as new. */
  upsert(feature) {
    if (this.closed) return null;
    const p = feature.properties || {};
    const id = p.id ?? feature.id;
    const existing = this.items.get(id);
    if (existing && existing.data.version >= p.version) return existing;
    const item = geometryToItem(this.scope, feature.geometry);
    item.data = { id, version: p.version, layer: p.layer || HUMAN, className: p.classification ? p.classification.name : null, provenance: p.provenance };
    this.style(item);
    if (existing) {
      item.selected = false;
      existing.replaceWith(item);
      if (existing.data.chosen) this.mark(item, true);
    } else {
      this.layer(item.data.layer).addChild(item);
    }
    this.items.set(id, item);
    return item;
  }

  forget(id) {
    const item = this.items.get(id);
    if (item) { item.remove(); this.items.delete(id); }
  }

  style(item) {
    const colour = new this.scope.Color(this.classColour(item.data.className));
    item.strokeColor = colour;
    item.strokeWidth = item.data.chosen ? OUTLINE.width + 1.5 : OUTLINE.width;
    item.strokeScaling = false;
    item.dashArray = item.data.chosen ? [6, 4] : null;
    const fill = colour.clone();
    fill.alpha = this.styleOf(item.data.layer).fill;
    item.fillColor = fill;
    // A dark halo around the outline (a light one for the darkest classes) keeps it visible on any stain.
    item.data.halo = colour.gray > 0.3 ? 'rgba(0,0,0,0.85)' : 'rgba(255,255,255,0.9)';
  }

  mark(item, chosen) {
    item.data.chosen = chosen;
    this.style(item);
  }

  editable(item) {
    return item && item.data && item.data.layer === HUMAN;
  }

  // --- edits (each is recorded for undo) -------------------------------------------------------

  /** Adds a human region drawn as `item` (already on screen) with a class. */
  create(item, className) {
    const geometry = itemToGeometry(item);
    item.remove();
    if (!geometry) return null;
    const handle = { id: null };
    const ghost = this.preview(geometry, className);
    this.record({
      redo: async () => {
        const saved = await this.send('POST', `/api/v1/slices/${this.sliceId}/regions`, feature(geometry, className));
        handle.id = saved.properties.id;
        this.upsert(saved);
      },
      undo: async () => this.removeById(handle.id),
    }, () => ghost.remove());
    return handle;
  }

  /** Replaces a region's outline and/or class. */
  update(id, geometry, className) {
    const item = this.items.get(id);
    if (!item) return;
    const before = { geometry: this.savedGeometry(id), className: item.data.className };
    const after = { geometry: geometry || before.geometry, className: className || item.data.className };
    this.record({
      redo: async () => this.put(id, after),
      undo: async () => this.put(id, before),
    });
  }

  remove(id) {
    const item = this.items.get(id);
    if (!item) return;
    const saved = { geometry: this.savedGeometry(id), className: item.data.className };
    const handle = { id };
    item.visible = false;
    this.record({
      redo: async () => this.removeById(handle.id),
      undo: async () => {
        const back = await this.send('POST', `/api/v1/slices/${this.sliceId}/regions`, feature(saved.geometry, saved.className));
        handle.id = back.properties.id;
        this.upsert(back);
      },
    });
  }

  /** Several edits as one undo step (union, subtract, eraser over many regions). */
  batch(edits) {
    const steps = [];
    for (const e of edits) {
      if (e.op === 'update') {
        const item = this.items.get(e.id);
        const before = { geometry: this.savedGeometry(e.id), className: item.data.className };
        const after = { geometry: e.geometry, className: e.className || item.data.className };
        steps.push({ redo: () => this.put(e.id, after), undo: () => this.put(e.id, before) });
      } else if (e.op === 'delete') {
        const item = this.items.get(e.id);
        const saved = { geometry: this.savedGeometry(e.id), className: item.data.className };
        const handle = { id: e.id };
        item.visible = false;
        steps.push({
          redo: () => this.removeById(handle.id),
          undo: async () => {
            const back = await this.send('POST', `/api/v1/slices/${this.sliceId}/regions`, feature(saved.geometry, saved.className));
            handle.id = back.properties.id;
            this.upsert(back);
          },
        });
      } else if (e.op === 'create') {
        const handle = { id: null };
        steps.push({
          redo: async () => {
            const saved = await this.send('POST', `/api/v1/slices/${this.sliceId}/regions`, feature(e.geometry, e.className));
            handle.id = saved.properties.id;
            this.upsert(saved);
          },
          undo: () => this.removeById(handle.id),
        });
      }
    }
    if (!steps.length) return;
    this.record({
      redo: async () => { for (const s of steps) await s.redo(); },
      undo: async () => { for (const s of [...steps].reverse()) await s.undo(); },
    });
  }

  undo() {
    const step = this.undoStack.pop();
    if (!step) return false;
    this.redoStack.push(step);
    this.enqueue(step.undo);
    return true;
  }

  redo() {
    const step = this.redoStack.pop();
    if (!step) return false;
    this.undoStack.push(step);
    this.enqueue(step.redo);
    return true;
  }

  // --- plumbing ----------------------------------------------------------------------------------

  record(step, settled) {
    this.undoStack.push(step);
    if (this.undoStack.length > 200) this.undoStack.shift();
    this.redoStack.length = 0;
    this.enqueue(step.redo, settled);
  }

  /** Runs edits one after another; network failures are retried, refusals reverted. */
  enqueue(action, settled) {
    this.pending++;
    this.onStatus(this.pending);
    this.queue = this.queue.then(async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          await action();
          break;
        } catch (e) {
          if (e.status === 0) {
            this.onStatus(this.pending, 'offline');
            await new Promise((r) => setTimeout(r, Math.min(5000, 500 * 2 ** attempt)));
            continue;
          }
          this.onError(e);
          await this.load(HUMAN).catch(() => {});
          break;
        }
      }
    }).finally(() => {
      if (settled) settled();
      this.pending--;
      this.onStatus(this.pending);
      this.onChange();
    });
    return this.queue;
  }

  /** Resolves when every edit made so far is on the server. */
  flushed() {
    return this.queue;
  }

  async put(id, { geometry, className }) {
    const item = this.items.get(id);
    const version = item ? item.data.version : undefined;
    try {
      const saved = await this.send('PUT', `/api/v1/regions/${id}`, { ...feature(geometry, className), properties: { classification: { name: className }, version } });
      this.upsert(saved);
    } catch (e) {
      if (e.status === 409) {
        // Someone changed it meanwhile: take theirs and say so rather than overwrite it.
        const fresh = await get(`/api/v1/regions/${id}`).catch(() => null);
        if (fresh) this.upsert(fresh);
        e.message = 'this region was changed by someone else meanwhile; their version is shown';
      }
      throw e;
    }
  }

  async removeById(id) {
    const item = this.items.get(id);
    if (!item) return;
    try {
      await this.send('DELETE', `/api/v1/regions/${id}?version=${item.data.version}`);
    } catch (e) {
      if (e.status !== 404) throw e;
    }
    this.forget(id);
  }

  send(method, path, body) {
    return api(method, path, body);
  }

  /** Call before changing an item on screen (drag, vertex edit): undo goes back to this outline. */
  beginEdit(item) {
    if (!item.data.savedGeometry) item.data.savedGeometry = itemToGeometry(item);
  }

  /** The outline as last confirmed by the server (local drags change items before they are saved). */
  savedGeometry(id) {
    const item = this.items.get(id);
    if (!item) return null;
    return item.data.savedGeometry || itemToGeometry(item);
  }

  /** A provisional drawing of a region being saved. */
  preview(geometry, className) {
    const item = geometryToItem(this.scope, geometry);
    item.data = { layer: HUMAN, className };
    this.style(item);
    item.opacity = 0.6;
    this.layer(HUMAN).addChild(item);
    return item;
  }

  /** Applies a change pushed by the server (another user's edit, or the echo of ours). */
  applyLive(message) {
    if (this.closed) return;
    this.seq = Math.max(this.seq, message.seq || 0);
    const region = message.region;
    if (!region) return;
    const id = region.properties ? region.properties.id : region.id;
    if (message.op === 'delete') this.forget(id);
    else this.upsert(region);
    this.onChange();
  }

  humanItems() {
    const layer = this.layers.get(HUMAN);
    return layer ? layer.children.filter((c) => c.data && c.data.id != null && c.visible) : [];
  }
}

function feature(geometry, className) {
  return { type: 'Feature', geometry, properties: { classification: { name: className } } };
}


/** Split, merge-by-server and magic wand: edits whose outcome the server computes. */
Object.assign(RegionStore.prototype, {
  split(ids, line) {
    const before = [];
    const parts = [];
    this.record({
      redo: async () => {
        before.length = 0;
        parts.length = 0;
        for (const id of ids) {
          const item = this.items.get(id);
          if (!item) continue;
          before.push({ geometry: this.savedGeometry(id), className: item.data.className });
          const answer = await this.send('POST', `/api/v1/regions/${id}/split`, { line, version: item.data.version });
          this.forget(id);
          for (const f of answer.features || []) { this.upsert(f); parts.push(f.properties.id); }
        }
      },
      undo: async () => {
        for (const id of parts) await this.removeById(id);
        for (const b of before) {
          const back = await this.send('POST', `/api/v1/slices/${this.sliceId}/regions`, feature(b.geometry, b.className));
          this.upsert(back);
        }
      },
    });
  },

  /** downsample: slide pixels per screen pixel, so the flood fill works at what the user sees. */
  magicWand(point, tolerance, className, downsample) {
    const handle = { id: null };
    this.record({
      redo: async () => {
        const answer = await this.send('POST', `/api/v1/slices/${this.sliceId}/magic-wand`, {
          x: Math.round(point.x), y: Math.round(point.y), tolerance, class: className,
          downsample: Math.min(4096, Math.max(1, downsample)),
        });
        const f = answer.type === 'Feature' ? answer : (answer.features || [])[0];
        if (!f) throw Object.assign(new Error('the magic wand found no area there'), { status: 400 });
        handle.id = f.properties.id;
        this.upsert(f);
      },
      undo: async () => this.removeById(handle.id),
    });
  },
});
