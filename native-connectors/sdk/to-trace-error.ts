import { isAirdockError } from '../../protocol/index.js';
import type { AirbyteMessage } from '../../protocol/index.js';

export type FailureTypeName = 'config_error' | 'system_error' | 'transient_error';

/** The failure_type for a thrown value: taken from airdock error classes, system_error otherwise. */
export function failureTypeOf(error: unknown): FailureTypeName {
  if (isAirdockError(error)) return error.failureType;
  const ft = (error as { failureType?: unknown } | null)?.failureType;
  return ft === 'config_error' || ft === 'transient_error' ? ft : 'system_error';
}

/** A TRACE ERROR for a thrown value. The message is the error's own (airdock messages never carry config values). */
export function toTraceError(error: unknown): AirbyteMessage {
  const message = isAirdockError(error) ? error.describe() : error instanceof Error ? error.message : String(error);
  return {
    type: 'TRACE',
    trace: {
      type: 'ERROR',
      emitted_at: Date.now(),
      error: {
        message,
        failure_type: failureTypeOf(error),
        ...(error instanceof Error && error.stack ? { stack_trace: error.stack } : {}),
      },
    },
  } as AirbyteMessage;
}
