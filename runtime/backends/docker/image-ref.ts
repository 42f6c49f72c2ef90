import { UsageError } from '../../../protocol/index.js';

/** A parsed Docker image reference: `[registry/]repository[:tag][@digest]`. */
export interface ImageRef {
  /** Registry host (with port), or undefined for the default registry. */
  registry: string | undefined;
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
  /** What to pass to Docker: the input, with `:latest` added when neither tag nor digest is given. */
  ref: string;
}

const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

export function parseImageRef(input: string): ImageRef {
  const bad = (why: string) => new UsageError('Not a valid image reference', { context: { image: input, reason: why }, hint: 'Use repository[:tag] or repository@sha256:<digest>' });
  let rest = input.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw bad('digest');
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw bad('tag');
  }
  const parts = rest.split('/');
  let registry: string | undefined;
  if (parts.length > 1 && (parts[0]!.includes('.') || parts[0]!.includes(':') || parts[0] === 'localhost')) registry = parts.shift();
  if (parts.length === 0 || !parts.every((p) => COMPONENT.test(p))) throw bad('repository');
  const repository = parts.join('/');
  const name = registry ? `${registry}/${repository}` : repository;
  const ref = `${name}${tag ? `:${tag}` : digest ? '' : ':latest'}${digest ? `@${digest}` : ''}`;
  return { registry, repository, tag: tag ?? (digest ? undefined : 'latest'), digest, ref };
}
