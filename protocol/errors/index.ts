export * from './airdock-error.js';
export * from './config-errors.js';
export * from './protocol-errors.js';
export * from './connector-errors.js';
export * from './backend-errors.js';
export * from './state-errors.js';
export * from './catalog-errors.js';
export * from './sync-errors.js';
