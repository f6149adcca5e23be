// Container image references after the distribution reference grammar
// (github.com/distribution/reference, grammar in reference.go), normalised like Docker does:
// no registry means docker.io, a one-part Docker Hub name lives under library/.
// Hand-written: the grammar is ~10 regular expressions and the npm parsers either skip the
// normalisation or pull in a registry client.

export interface ImageReference {
  /** e.g. `ghcr.io`, `localhost:5000`, `docker.io`. */
  registry: string;
  /** e.g. `trickle-labs/pg_trickle-ext`, `library/postgres`. */
  repository: string;
  tag?: string;
  /** `algorithm:hex`, e.g. `sha256:…`. */
  digest?: string;
}

export const DEFAULT_REGISTRY = 'docker.io';
const MAX_NAME_LENGTH = 255;

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN = new RegExp(`^${HOST}(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
// Registered algorithms have a fixed, lower-case encoding (OCI image spec, descriptor.md).
const KNOWN_DIGESTS: Readonly<Record<string, RegExp>> = {
  sha256: /^[a-f0-9]{64}$/,
  sha512: /^[a-f0-9]{128}$/,
};

/** The parts of `ref`, or undefined when it is not a valid image reference. Never throws. */
export function parseImageReference(ref: string): ImageReference | undefined {
  if (typeof ref !== 'string' || ref.length === 0 || ref.length > 4096) return undefined;
  // Docker refuses a bare 64-hex name: it would be mistaken for an image id.
  if (/^[a-f0-9]{64}$/.test(ref)) return undefined;
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!validDigest(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const name = splitName(rest);
  if (name === undefined || rest.length > MAX_NAME_LENGTH) return undefined;
  const result: ImageReference = name;
  if (tag !== undefined) result.tag = tag;
  if (digest !== undefined) result.digest = digest;
  return result;
}

function splitName(name: string): { registry: string; repository: string } | undefined {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  // Docker's rule: the first component is a registry when it looks like a host.
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase());
  let registry = hasRegistry ? first : DEFAULT_REGISTRY;
  let repository = hasRegistry ? name.slice(slash + 1) : name;
  if (hasRegistry && !DOMAIN.test(registry)) return undefined;
  if (repository.length === 0 || !repository.split('/').every((c) => PATH_COMPONENT.test(c))) return undefined;
  if (registry === 'index.docker.io') registry = DEFAULT_REGISTRY;
  if (registry === DEFAULT_REGISTRY && !repository.includes('/')) repository = `library/${repository}`;
  return { registry, repository };
}

function validDigest(digest: string): boolean {
  if (!DIGEST.test(digest)) return false;
  const sep = digest.indexOf(':');
  const encoding = KNOWN_DIGESTS[digest.slice(0, sep)];
  return encoding === undefined || encoding.test(digest.slice(sep + 1));
}

/** The fully qualified form, e.g. `docker.io/library/postgres:18` for `postgres:18`. */
export function formatImageReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag === undefined ? '' : `:${ref.tag}`}${ref.digest === undefined ? '' : `@${ref.digest}`}`;
}
