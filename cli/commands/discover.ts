import type { Command } from 'commander';
import { writeJson } from '../format/write-json.js';
import { interruptSignal, loadObject, openConnector, withConnectorOptions, type ConnectorCliOptions } from '../run/cli-runtime.js';

export function register(program: Command): void {
  withConnectorOptions(program.command('discover'))
    .description("List a source's streams (--json: the catalog)")
    .argument('<ref>', 'image (repo:tag), native:<name>, ./program or a catalog name')
    .requiredOption('--config <file>', 'connector config (JSON or YAML, ${VAR} expanded)')
    .action(async (ref: string, o: ConnectorCliOptions & { config: string }) => {
      const irq = interruptSignal();
      try {
        const config = await loadObject(o.config, 'config');
        const catalog = await (await openConnector(ref, o, 'discover')).discover(config, { signal: irq.signal });
        if (o.json) {
          await writeJson(catalog);
          return;
        }
        const rows = catalog.streams.map((s) => [
          s.namespace ? `${s.namespace}.${s.name}` : s.name,
          s.supported_sync_modes.join(','),
          s.default_cursor_field?.join('.') ?? (s.source_defined_cursor ? '(source)' : ''),
          (s.source_defined_primary_key ?? []).map((p) => p.join('.')).join(','),
        ]);
        const head = ['STREAM', 'SYNC MODES', 'CURSOR', 'PRIMARY KEY'];
        const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
        for (const r of [head, ...rows]) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
      } finally {
        irq.dispose();
      }
    });
}
