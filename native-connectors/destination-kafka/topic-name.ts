/**
 * The topic for a stream, as the official destination names it: `{namespace}` and `{stream}` replaced
 * (a missing namespace by ""), then Airbyte's StandardNameTransformer: accents dropped (NFKD without
 * combining marks), whitespace runs and every character outside [A-Za-z0-9_] become "_".
 * So "{namespace}.{stream}.sample" gives "public_users_sample".
 */
export function topicName(pattern: string, stream: string, namespace?: string | null): string {
  return pattern
    .replaceAll('{namespace}', namespace ?? '')
    .replaceAll('{stream}', stream)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/\s+/g, '_')
    .replace(/[^A-Za-z0-9_]/g, '_');
}
