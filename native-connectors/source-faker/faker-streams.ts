import type { AirbyteStream } from '../../protocol/index.js';

const ts = { type: 'string', format: 'date-time', airbyte_type: 'timestamp_with_timezone' };
const nullableTs = { type: ['null', 'string'], format: 'date-time', airbyte_type: 'timestamp_with_timezone' };
const str = { type: 'string' };
const int = { type: 'integer' };

function stream(name: string, properties: Record<string, unknown>): AirbyteStream {
  return {
    name,
    json_schema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties },
    supported_sync_modes: ['full_refresh', 'incremental'],
    source_defined_cursor: true,
    default_cursor_field: ['updated_at'],
    source_defined_primary_key: [['id']],
    is_resumable: true,
  };
}

/** Same names, fields and types as the reference source-faker's schemas. */
export const fakerStreams: AirbyteStream[] = [
  stream('users', {
    id: int, created_at: ts, updated_at: ts, name: str, title: str, age: int, email: str, telephone: str,
    gender: str, language: str, academic_degree: str, nationality: str, occupation: str, height: str,
    blood_type: str, weight: int,
    address: {
      type: 'object',
      properties: { street_number: str, street_name: str, city: str, state: str, province: str, postal_code: str, country_code: str },
    },
  }),
  stream('products', { id: int, make: str, model: str, year: int, price: { type: 'number' }, created_at: ts, updated_at: ts }),
  stream('purchases', {
    id: int, user_id: int, product_id: int, created_at: ts, updated_at: ts,
    added_to_cart_at: nullableTs, purchased_at: nullableTs, returned_at: nullableTs,
  }),
];
