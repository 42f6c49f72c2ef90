import { describe, expect, it } from 'vitest';
import { storedIdentifier } from './stored-identifier.js';

describe('storedIdentifier', () => {
  it('keeps names up to 63 bytes and cuts longer ones to 63 bytes', () => {
    expect(storedIdentifier('idx_extracted_at_t')).toBe('idx_extracted_at_t');
    expect(storedIdentifier('a'.repeat(63))).toBe('a'.repeat(63));
    expect(storedIdentifier(`idx_extracted_at_${'x'.repeat(63)}`)).toBe(`idx_extracted_at_${'x'.repeat(46)}`);
  });

  it('cuts before a character that would straddle byte 63', () => {
    // 62 ASCII bytes then a 2-byte character: keeping it would make 64 bytes.
    expect(storedIdentifier(`${'a'.repeat(62)}éb`)).toBe('a'.repeat(62));
    expect(storedIdentifier(`${'a'.repeat(61)}éb`)).toBe(`${'a'.repeat(61)}é`);
  });

  it('cuts to a shorter bound when asked, at a character boundary too', () => {
    expect(storedIdentifier('a'.repeat(70), 54)).toBe('a'.repeat(54));
    expect(storedIdentifier(`${'a'.repeat(53)}éb`, 54)).toBe('a'.repeat(53));
  });
});
