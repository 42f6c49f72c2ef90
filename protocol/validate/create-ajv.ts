import { Ajv, type Options } from 'ajv';
import * as formats from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its default export may arrive wrapped once more.
type AddFormats = (ajv: Ajv) => Ajv;
const mod = formats as unknown as { default: AddFormats | { default: AddFormats } };
const addFormats: AddFormats = typeof mod.default === 'function' ? mod.default : mod.default.default;

/**
 * Ajv as Airbyte's schemas need it: non-strict (specs carry `airbyte_secret`, `order`, `groups`,
 * `existingJavaType`, and some are slightly invalid, e.g. a non-array `examples`), schemas not
 * validated against the meta-schema, all errors collected, and never `useDefaults`: 18 real specs
 * give object-typed fields a string default, which would turn an object into a string.
 */
export function createAjv(options: Options = {}): Ajv {
  const ajv = new Ajv({
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
