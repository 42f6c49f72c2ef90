import { createRequire } from 'node:module';
import type { Ajv } from 'ajv';

// ajv and ajv-formats are loaded on first use, not when the protocol module is imported: a connector
// whose validators are all precompiled never pays for loading them (~30 ms of its start).
const require = createRequire(import.meta.url);

type AddFormats = (ajv: Ajv) => Ajv;
let loaded: { Ajv: typeof Ajv; addFormats: AddFormats } | undefined;

/** The Ajv class and ajv-formats' `addFormats`, loaded on the first call. */
export function loadAjv(): { Ajv: typeof Ajv; addFormats: AddFormats } {
  if (loaded) return loaded;
  const { Ajv: AjvClass } = require('ajv') as typeof import('ajv');
  // ajv-formats is CommonJS; its default export may arrive wrapped once more.
  const mod = require('ajv-formats') as { default: AddFormats | { default: AddFormats } };
  const addFormats: AddFormats = typeof mod.default === 'function' ? mod.default : mod.default.default;
  loaded = { Ajv: AjvClass, addFormats };
  return loaded;
}
