// Small DOM helpers: the viewer is a handful of views, which plain DOM code keeps dependency-free.

/** h('button.primary', {onclick}, 'Save') builds an element; children may be strings or nodes. */
export function h(spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'style' && typeof value === 'object') Object.assign(el.style, value);
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** A short message in the corner; errors stay longer. */
export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  const el = h('div.toast.' + kind, { role: kind === 'error' ? 'alert' : 'status' }, message);
  box.append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 8000 : 3000);
}

export function showError(e) {
  toast(e && e.message ? e.message : String(e), 'error');
}

export function setCrumbs(...parts) {
  const nav = clear(document.getElementById('crumbs'));
  parts.forEach((p, i) => {
    if (i > 0) nav.append(h('span.sep', {}, '›'));
    nav.append(p.href ? h('a', { href: p.href }, p.label) : h('span', {}, p.label));
  });
}

export function download(filename, content, type = 'application/json') {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
