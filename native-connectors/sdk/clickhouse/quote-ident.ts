/** A ClickHouse identifier in backquotes, safe for any name. */
export const quoteIdent = (s: string) => '`' + s.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
