/** The native connector SDK: define a source or destination, then `runCli(definition)`. */
export { defineSource, type SourceDefinition, type ConnectorContext } from './define-source.js';
export { defineDestination, RUN_FIELDS, RunField, type DestinationDefinition, type InputMessage, type RecordRun } from './define-destination.js';
export { Emitter } from './emitter.js';
export { StateView } from './state-view.js';
export { runCli } from './run-cli.js';
export { runPool, type RunPoolOptions } from './run-pool.js';
export { ContiguousProgress } from './contiguous-progress.js';
export { runConnector, type ConnectorDefinition, type RunConnectorOptions } from './run-connector.js';
export { toTraceError, failureTypeOf } from './to-trace-error.js';
export { writeWithBarrier, type BarrierSink, type BarrierStats, type WriteBarrierOptions } from './write-barrier.js';
export { StreamEnds } from './stream-ends.js';
export { repairInvalidUtf8 } from './repair-invalid-utf8.js';
export * from './sql/index.js';
