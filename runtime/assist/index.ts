/** Config drafting from plain words and suggestions on connection files (`airdock config new`, `airdock suggest`). */
export { draftFromText, type TextDraft, type ConnectorDraft, type DraftOptions, type SpecProvider, type SpecOrigin } from './draft-from-text.js';
export { answerQuestion, refreshQuestions, specNodeAt } from './answer-question.js';
export { connectorSpecProvider, type SpecProviderOptions } from './connector-spec-provider.js';
export { bundledSpec, officialSpec } from './bundled-specs.js';
export type { Question, EnvVar, FieldOrigin, Origin } from './fill-config.js';
export type { CatalogItem, Role } from './pick-connectors.js';
export type { DraftStream } from './find-streams.js';
