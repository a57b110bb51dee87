/** The desktop window's CSP: the shared one (src/shared), relaxed for the dev server in development. */
import { CONTENT_SECURITY_POLICY, devServerContentSecurityPolicy } from '../shared/content-security-policy';
import type { RendererEntry } from './renderer-entry';

/** The policy for this renderer entry. */
export function contentSecurityPolicy(entry: RendererEntry): string {
  return entry.kind === 'file' ? CONTENT_SECURITY_POLICY : devServerContentSecurityPolicy(entry.url);
}
