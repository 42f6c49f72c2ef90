import type { Ajv, Options } from 'ajv';
import { loadAjv } from './load-ajv.js';

/**
 * Ajv as Airbyte's schemas need it: non-strict (specs carry `airbyte_secret`, `order`, `groups`,
 * `existingJavaType`, and some are slightly invalid, e.g. a non-array `examples`), schemas not
 * validated against the meta-schema, all errors collected, and never `useDefaults`: 18 real specs
 * give object-typed fields a string default, which would turn an object into a string.
 * protocol/scripts/gen-protocol.ts compiles the protocol validators with these same options.
 */
export function createAjv(options: Options = {}): Ajv {
  const { Ajv: AjvClass, addFormats } = loadAjv();
  const ajv = new AjvClass({
    strict: false,
    allErrors: true,
    validateSchema: false,
    allowUnionTypes: true,
    verbose: true,
    ...options,
  });
  addFormats(ajv);
  return ajv;
}
