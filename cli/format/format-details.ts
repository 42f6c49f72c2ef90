import type { ConnectorEntry } from '../../catalog/entry.js';
import { imageRef } from '../../catalog/entry.js';
import { executorsOf } from '../../catalog/executors.js';

/** The `catalog show` text: one labelled line per fact, the image and the native implementation. */
export function formatDetails(e: ConnectorEntry, runsAs: string): string {
  const rows: Array<[string, string | undefined]> = [
    ['Name', `${e.technicalName} (${e.name})`],
    ['Type', e.type + (e.sourceType ? ` / ${e.sourceType}` : '')],
    ['Definition id', e.definitionId],
    ['Image', imageRef(e) ?? '(none: native only)'],
    ['Native', e.native ? `native:${e.native.name} (accepts ${e.native.configCompat === 'full' ? 'the full' : 'a subset of the'} image's config)` : 'no'],
    ['Native notes', e.native?.notes],
    ['PyPI', e.pypiPackage],
    ['Executors', executorsOf(e).join(', ') || undefined],
    ['Runs as', runsAs],
    ['Support', [e.supportLevel, e.releaseStage].filter(Boolean).join(', ') || undefined],
    ['Language', e.language],
    ['License', e.license],
    ['Docs', e.documentationUrl],
    ['Tags', e.tags.length > 0 ? e.tags.join(', ') : undefined],
    ['Status', e.tombstone ? 'tombstoned' : e.public === false ? 'not public' : undefined],
  ];
  return `${rows.filter(([, v]) => v !== undefined).map(([k, v]) => `${`${k}:`.padEnd(LABEL)}${wrap(v!)}`).join('\n')}\n`;
}

const LABEL = 15;
const WIDTH = 79;

/** Long values (notes, tag lists) wrap under their label so the block fits 80 columns. */
function wrap(text: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > WIDTH - LABEL) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(LABEL)}`);
}
