import { existsSync } from 'node:fs';

/**
 * URL of a file in `catalog/data/`. The data ships beside `dist/` (package.json "files"), not inside
 * it, so compiled code (`dist/catalog/*.js`) reaches it two levels up while sources run by tsx or
 * vitest (`catalog/*.ts`) find it next door.
 */
export function dataFileUrl(name: string): URL {
  const beside = new URL(`./data/${name}`, import.meta.url);
  if (existsSync(beside)) return beside;
  return new URL(`../../catalog/data/${name}`, import.meta.url);
}
