import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XmlDocument, XsdValidator } from 'libxml2-wasm';
import { repoRoot } from './repo-paths.js';

/** Validates a JUnit report against the JUnit XSD (Jenkins xunit-plugin's junit-10.xsd, vendored); throws on any problem. */
export function validateJunit(xml: string): void {
  using xsdDoc = XmlDocument.fromString(readFileSync(join(repoRoot, 'test/fixtures/reference/junit-10.xsd'), 'utf8'));
  using validator = XsdValidator.fromDoc(xsdDoc);
  using doc = XmlDocument.fromString(xml);
  validator.validate(doc);
}
