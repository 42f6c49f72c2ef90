import { existsSync, readFileSync } from 'node:fs';

/**
 * Reads a JSON file of `runtime/assist/data/`. The data ships beside `dist/` (package.json "files"),
 * so compiled code (`dist/runtime/assist/`) reaches it three levels up while sources run by tsx or
 * vitest find it next door.
 */
export function readAssistData<T>(name: string): T {
  const beside = new URL(`./data/${name}`, import.meta.url);
  const url = existsSync(beside) ? beside : new URL(`../../../runtime/assist/data/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}
