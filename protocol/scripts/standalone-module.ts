import standaloneCode from 'ajv/dist/standalone/index.js';
import { createAjv } from '../validate/create-ajv.js';

/**
 * An ES module of validators compiled ahead of time (ajv standalone code) with createAjv's options,
 * so their errors are the ones a run-time compile gives. `schema` is added under the id `root`;
 * `exports` maps each export name to a reference into it (`root`, `root#/definitions/X`).
 * Used by the generators (npm run gen:protocol, npm run gen:config-validators).
 */
export function standaloneModule(header: string, schema: object, exports: Record<string, string>): string {
  const ajv = createAjv({ code: { source: true, esm: true, lines: true } });
  ajv.addSchema(schema, 'root');
  const code = (standaloneCode as unknown as typeof standaloneCode.default)(ajv, exports).replace(/^"use strict";/, '');
  // The standalone code loads ajv's run-time helpers (formats, string length) with require(); give
  // this ES module one.
  return `${header}// @ts-nocheck\n/* eslint-disable */\nimport { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${code}\n`;
}
