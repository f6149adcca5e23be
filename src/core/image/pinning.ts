// How firmly an image reference names one image (rule PGT014).
import { parseImageReference } from './reference.js';

/**
 * `digest` when a digest is given (with or without tag); `latest` for the moving `latest`
 * tag; `tag` for any other tag; `none` when the reference has neither (Docker then pulls
 * `latest`) or is not a valid reference at all.
 */
export function pinning(ref: string): 'digest' | 'tag' | 'latest' | 'none' {
  const parsed = parseImageReference(ref);
  if (parsed === undefined) return 'none';
  if (parsed.digest !== undefined) return 'digest';
  if (parsed.tag === undefined) return 'none';
  return parsed.tag === 'latest' ? 'latest' : 'tag';
}
