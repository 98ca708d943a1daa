// A token of the user's own rights for the segmentation service (POST /api/v1/auth/service-token:
// one project, an hour), kept per project and asked for again five minutes before it expires.
import { post } from '../api.js';

const tokens = new Map();

export async function serviceToken(projectId) {
  const known = tokens.get(projectId);
  if (known && Date.parse(known.expiresAt) - Date.now() > 5 * 60_000) return known.token;
  const minted = await post('/api/v1/auth/service-token', { project: projectId });
  tokens.set(projectId, minted);
  return minted.token;
}
