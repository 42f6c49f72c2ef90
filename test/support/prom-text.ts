import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// The Prometheus text format, read by the official Prometheus Python client's parser (Debian's
// python3-prometheus-client, installed by scripts/ci-setup.sh), so a test of our exposition checks
// what a Prometheus tool reads, not what we meant to write.
const PYTHON = '/usr/bin/python3';
const PARSE = `
import json, math, sys
from prometheus_client.parser import text_string_to_metric_families
out = []
for f in text_string_to_metric_families(sys.stdin.read()):
    out.append({"name": f.name, "type": f.type, "help": f.documentation,
                "samples": [{"name": s.name, "labels": s.labels, "value": s.value if math.isfinite(s.value) else str(s.value)} for s in f.samples]})
print(json.dumps(out))
`;

export interface PromSample { name: string; labels: Record<string, string>; value: number }
export interface PromFamily { name: string; type: string; help: string; samples: PromSample[] }

export function parseProm(text: string): PromFamily[] {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: run \`sudo bash scripts/ci-setup.sh\``);
  try {
    // NaN and ±Inf are valid sample values but not JSON: they travel as strings and come back as numbers.
    const families = JSON.parse(execFileSync(PYTHON, ['-c', PARSE], { input: text, encoding: 'utf8' })) as PromFamily[];
    const special: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity };
    for (const f of families) for (const s of f.samples) if (typeof s.value === 'string') s.value = special[s.value] ?? NaN;
    return families;
  } catch (err) {
    throw new Error(`the Prometheus parser rejected the text (python3-prometheus-client comes with scripts/ci-setup.sh): ${(err as Error).message}`);
  }
}

/** Samples named `sample` (e.g. `x_total`, `x_bucket`, `x_sum`) whose labels include `match`. */
export function samples(families: PromFamily[], sample: string, match: Record<string, string> = {}): PromSample[] {
  return families.flatMap((f) => f.samples).filter((s) => s.name === sample && Object.entries(match).every(([k, v]) => s.labels[k] === v));
}

/** The value of the one sample named `sample` matching `match`. */
export function value(families: PromFamily[], sample: string, match: Record<string, string> = {}): number {
  const s = samples(families, sample, match);
  if (s.length !== 1) throw new Error(`${sample} ${JSON.stringify(match)}: ${s.length} samples`);
  return s[0]!.value;
}
