// The page's side of the engine worker: one call, one promise. Calls run one after the other in
// the worker; the page stays responsive meanwhile.
export class EngineClient {
  constructor(url = '/lib/engine/worker.js') {
    this.worker = new Worker(url);
    this.pending = new Map();
    this.nextId = 1;
    this.worker.onmessage = ({ data }) => {
      const p = this.pending.get(data.id);
      if (!p) return;
      this.pending.delete(data.id);
      if (data.ok) p.resolve(data.result); else p.reject(new Error(data.error));
    };
    this.worker.onerror = (e) => {
      const error = new Error(`the engine could not run: ${e.message || 'worker failed to load'}`);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
  }

  call(op, args = {}, transfer = []) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, ...args }, transfer);
    });
  }

  close() {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new Error('the engine was stopped'));
    this.pending.clear();
  }
}
