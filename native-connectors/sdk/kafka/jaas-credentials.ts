import { KafkaUnsupportedConfigError } from '../../../protocol/index.js';

/**
 * The username and password of a JAAS login line, the form the official connectors take in
 * `sasl_jaas_config`: `org.apache.kafka.common.security.plain.PlainLoginModule required
 * username="alice" password="alice-secret";` (PLAIN and SCRAM use the same two options).
 */
export function jaasCredentials(jaas: string): { username: string; password: string } {
  const options = new Map<string, string>();
  // key=value pairs; values are "quoted" (with \" and \\ escapes) or bare words
  const re = /([A-Za-z_.][\w.-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;"]+))/g;
  for (const m of jaas.matchAll(re)) options.set(m[1]!, m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!);
  const username = options.get('username');
  const password = options.get('password');
  if (username === undefined || password === undefined) {
    // never echo the line itself: it holds the password
    throw new KafkaUnsupportedConfigError('sasl_jaas_config must set username="..." and password="..."', {
      context: { field: 'protocol.sasl_jaas_config', hasUsername: username !== undefined, hasPassword: password !== undefined },
      hint: 'Write it as: org.apache.kafka.common.security.plain.PlainLoginModule required username="USER" password="PASSWORD";',
    });
  }
  return { username, password };
}
