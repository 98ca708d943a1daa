// The regions the user has picked; drawn highlighted, listened to by the side panel.
export class Selection {
  constructor(store, onChange) {
    this.store = store;
    this.onChange = onChange;
    this.chosen = new Set();
  }

  items() {
    // Regions redrawn by a live change are new items: follow them by id.
    const out = [];
    for (const id of this.chosen) {
      const item = this.store.items.get(id);
      if (item && item.visible) out.push(item);
    }
    return out;
  }

  has(item) {
    return this.chosen.has(item.data.id);
  }

  set(items) {
    this.clearMarks();
    this.chosen = new Set(items.map((i) => i.data.id));
    this.mark();
  }

  toggle(item) {
    this.clearMarks();
    if (this.chosen.has(item.data.id)) this.chosen.delete(item.data.id); else this.chosen.add(item.data.id);
    this.mark();
  }

  clear() {
    if (this.chosen.size === 0) return;
    this.clearMarks();
    this.chosen.clear();
    this.onChange();
  }

  /** After the store changed: drop what is gone, re-mark redrawn items. */
  refresh() {
    for (const id of [...this.chosen]) if (!this.store.items.has(id)) this.chosen.delete(id);
    for (const item of this.items()) if (!item.data.chosen) this.store.mark(item, true);
  }

  clearMarks() {
    for (const item of this.items()) this.store.mark(item, false);
  }

  mark() {
    for (const item of this.items()) this.store.mark(item, true);
    this.onChange();
  }
}
