/**
 * The protocol layer: Airbyte protocol v0.19 types, validation, the streaming codec, state helpers
 * and the error taxonomy. It imports nothing else from airdock, so everything may import it.
 */
export type * from './generated/types.js';
export { airbyteProtocolSchema } from './generated/schema.js';
export * from './errors/index.js';
export { MESSAGE_TYPES, isMessageType, type AirbyteMessageType } from './messages.js';
export { LineSplitter, DEFAULT_MAX_LINE_BYTES, type LineSplitterOptions } from './codec/line-splitter.js';
export { classifyLine, type ClassifyOptions } from './codec/classify-line.js';
export { scanObject, skipValue, readString } from './codec/envelope-scanner.js';
export { RecordFields, scanRecordFields } from './codec/record-fields.js';
export { decodeLines, type DecodeOptions } from './codec/decode-lines.js';
export type { DecodedLine, MessageLine, NoiseLine, InvalidLine, RecordEnvelope } from './codec/decoded-line.js';
export { encodeMessage } from './codec/encode-message.js';
export { parseJson, stringifyJson, LosslessNumber, isSafeNumber } from './json/lossless-json.js';
export { validateMessage, validateConfiguredCatalog, validateCatalog, validateSpec, validateStateMessage } from './validate/validate-message.js';
export { validateConfig, maskSecrets, secretPaths, fixedValue, discriminatorKeys, type PrecompiledValidator } from './validate/validate-config.js';
export { toIssues, type ValidationIssue } from './validate/validation-issue.js';
export { createAjv } from './validate/create-ajv.js';
export { streamKey, parseStreamKey } from './state/stream-key.js';
export { StateSet, mergeState, stateKind, toStoredState, stateFileValue } from './state/state-set.js';
export * from './conformance/index.js';
export { configureCatalog, selectStreams, type ConfigureOptions } from './catalog/configure-catalog.js';
