/**
 * The stream state shapes of the official connector (3.x), so a state written by one can be read by
 * the other. All carry `version: 2` and a `state_type`.
 */
export interface CtidState {
  version: 2;
  state_type: 'ctid';
  ctid: string;
  relation_filenode: number;
  /** The state the stream switches to once the initial load is done (incremental streams). */
  incremental_state?: CursorState | XminState;
  /** airdock: a full refresh that finished (the next full refresh starts over, it does not resume). */
  complete?: true;
}

export interface CursorState {
  version: 2;
  state_type: 'cursor_based';
  stream_name: string;
  stream_namespace: string;
  cursor_field: string[];
  /** The greatest cursor value emitted, as the record shows it; null when the table had none. */
  cursor: string | null;
  /** How many rows have exactly that value (ties at the boundary are re-read when this changes). */
  cursor_record_count: number;
}

export interface XminState {
  version: 2;
  state_type: 'xmin';
  num_wraparound: number;
  xmin_xid_value: number;
  xmin_raw_value: number;
}

export type PostgresStreamState = CtidState | CursorState | XminState;

export function stateType(s: unknown): string | undefined {
  if (!s || typeof s !== 'object') return undefined;
  const t = (s as { state_type?: unknown }).state_type;
  if (typeof t === 'string') return t;
  // States written before state_type existed carry just the cursor.
  return 'cursor' in s ? 'cursor_based' : undefined;
}
