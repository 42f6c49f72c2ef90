import { randomUUID } from 'node:crypto';

/**
 * A table, database or column name as the official destination makes it (toClickHouseCompatibleName):
 * accents dropped, anything but letters, digits and `_` becomes `_`, a leading digit gets a `_` prefix.
 * Case is kept: ClickHouse names are case sensitive.
 */
export function clickhouseName(name: string): string {
  let s = name.normalize('NFKD').replace(/\p{M}/gu, '').replace(/\s+/g, '_').replace(/[^A-Za-z0-9_]/g, '_');
  if (s === '') return `default_name_${randomUUID()}`;
  if (/^[0-9]/.test(s)) s = `_${s}`;
  return s;
}
