/** A record already serialised as one JSON object (a JSON line, a row DuckDB rendered): emitted without re-serialising. */
export class RawJson {
  constructor(readonly json: string) {}
  parse(): Record<string, unknown> {
    return JSON.parse(this.json) as Record<string, unknown>;
  }
}

export type Row = Record<string, unknown> | RawJson;
