import type { ConnectorEntry } from '../../catalog/entry.js';

const COLUMNS = [
  { title: 'NAME', width: 30 },
  { title: 'DISPLAY NAME', width: 20 },
  { title: 'VERSION', width: 10 },
  { title: 'SUPPORT', width: 9 },
  { title: 'NATIVE', width: 6 },
] as const;

/**
 * A plain table that fits an 80-column terminal (79 characters wide): long names are cut with an
 * ellipsis, never wrapped, so each connector stays on one greppable line.
 */
export function formatTable(entries: readonly ConnectorEntry[]): string {
  const rows = entries.map((e) => [
    e.technicalName, e.name, e.hasImage ? e.dockerImageTag : '-', e.supportLevel ?? '-', e.native ? 'yes' : '',
  ]);
  const lines = [COLUMNS.map((c) => c.title), ...rows].map((cells) =>
    cells.map((cell, i) => fit(cell, COLUMNS[i]!.width)).join(' ').trimEnd());
  return `${lines.join('\n')}\n`;
}

function fit(s: string, width: number): string {
  const chars = [...s];
  return chars.length > width ? `${chars.slice(0, width - 1).join('')}…` : s.padEnd(width + (s.length - chars.length));
}
