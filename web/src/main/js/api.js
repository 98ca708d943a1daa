// The server's public API as the browser uses it: session cookie plus the CSRF token on every
// request that changes something. Errors carry the server's message, which names the problem.

let csrfToken = null;

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function setCsrf(token) {
  csrfToken = token;
}

export async function api(method, path, body, options = {}) {
  const headers = {};
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let payload;
  if (body instanceof FormData || body instanceof Blob) {
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', signal: options.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'the server cannot be reached (' + e.message + ')');
  }
  if (options.raw) {
    if (!response.ok) throw new ApiError(response.status, await errorText(response));
    return response;
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = text; }
  }
  if (!response.ok) {
    const message = data && data.error ? data.error : `${method} ${path} failed (${response.status})`;
    throw new ApiError(response.status, message);
  }
  return data;
}

async function errorText(response) {
  try {
    const data = await response.json();
    return data.error || response.statusText;
  } catch {
    return response.statusText || String(response.status);
  }
}

export const get = (path, options) => api('GET', path, undefined, options);
export const post = (path, body) => api('POST', path, body);
export const put = (path, body) => api('PUT', path, body);
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);

/** Who is logged in, or null; remembers the session's CSRF token. */
export async function whoAmI() {
  try {
    const me = await get('/api/v1/me');
    setCsrf(me.csrfToken || null);
    return me.user || null;
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

/**
 * Uploads a file with progress (fetch cannot report upload progress, XMLHttpRequest can).
 * onProgress gets a fraction 0..1 of the bytes sent.
 */
export function upload(path, field, file, onProgress, fields = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(new ApiError(xhr.status, (data && data.error) || `upload failed (${xhr.status})`));
    };
    xhr.onerror = () => reject(new ApiError(0, 'the upload was interrupted'));
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) if (value !== undefined && value !== null && value !== '') form.append(name, value);
    form.append(field, file);
    xhr.send(form);
  });
}
