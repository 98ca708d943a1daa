// The segmentation service as the viewer calls it. The service runs at its own address (another
// origin: it answers the server's pages only, CORS) and authenticates every caller with a token of
// the server: the viewer gets a short-lived one scoped to the project and to the user's own role
// (POST /api/v1/auth/service-token, with the session) and sends it as Authorization: Bearer,
// renewing it a minute before it expires.
import { api } from '../api.js';

const RENEW_BEFORE_MS = 60_000;

/** The services registered with the server: [{name, url}] (url absolute). */
export async function registeredServices() {
  const services = await api('GET', '/api/v1/services');
  return services.map((s) => ({ ...s, url: new URL(s.url, location.href).href }));
}

export class ServiceClient {
  constructor(service, projectId) {
    this.service = service;
    this.projectId = projectId;
    this.current = null; // {token, expires (ms)}
  }

  get name() { return this.service.name; }

  url(path) {
    return new URL(path, this.service.url).href;
  }

  /** A valid token for the project (the service answers 401 without one). */
  async token() {
    if (this.current && this.current.expires - Date.now() > RENEW_BEFORE_MS) return this.current.token;
    const t = await api('POST', '/api/v1/auth/service-token', { project: this.projectId });
    const expires = typeof t.expiresAt === 'number' ? t.expiresAt : Date.parse(t.expiresAt);
    this.current = { token: t.token, expires: Number.isFinite(expires) ? expires : Date.now() + 3_600_000 };
    return this.current.token;
  }

  async headers(json) {
    const headers = json ? { 'Content-Type': 'application/json' } : {};
    const token = await this.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    return headers;
  }

  /** Calls the service's API; errors carry the service's message. */
  async call(method, path, body) {
    let response;
    try {
      response = await fetch(this.url(path), {
        method, headers: await this.headers(body !== undefined), body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (e) {
      throw new Error(`the service ${this.name} cannot be reached (${e.message})`);
    }
    const text = await response.text();
    let data = {};
    try { data = text ? JSON.parse(text) : {}; } catch { data = { error: text }; }
    if (!response.ok) throw new Error(`${this.name}: ${data.error || response.status}`);
    return data;
  }

  /** A file of the service (e.g. a CSV), fetched with the token. */
  async blob(path) {
    const response = await fetch(this.url(path), { headers: await this.headers(false) });
    if (!response.ok) throw new Error(`${this.name}: ${response.status}`);
    return response.blob();
  }
}
