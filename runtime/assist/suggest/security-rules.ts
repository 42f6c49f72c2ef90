import { sslBranch } from '../choose-branch.js';
import { placeholderName } from '../placeholder-name.js';
import { discriminatorOf, fixedValue, typesOf, type SpecNode } from '../spec-node.js';
import type { ConnectionFacts, Suggestion } from './suggestion.js';

const PLACEHOLDER = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1)$/;

/** Every `airbyte_secret` field the config sets, following the oneOf branches it chose. */
function secretFields(spec: SpecNode, config: unknown, path: string[] = []): Array<{ path: string[]; key: string; value: unknown }> {
  const out: Array<{ path: string[]; key: string; value: unknown }> = [];
  if (!config || typeof config !== 'object' || Array.isArray(config)) return out;
  let node = spec;
  if (node.oneOf) {
    const disc = discriminatorOf(node.oneOf);
    const chosen = disc ? node.oneOf.find((b) => fixedValue(b.properties?.[disc])?.value === (config as Record<string, unknown>)[disc]) : undefined;
    if (!chosen) return out;
    node = chosen;
  }
  for (const [k, v] of Object.entries(config as Record<string, unknown>)) {
    const p = node.properties?.[k];
    if (!p) continue;
    if (p.airbyte_secret) out.push({ path: [...path, k], key: k, value: v });
    else if (v && typeof v === 'object' && !Array.isArray(v)) out.push(...secretFields(p, v, [...path, k]));
  }
  return out;
}

/** A secret written in the file instead of a `${VAR}`: anyone who reads the file has it. */
export function secretsInClear(c: ConnectionFacts): Suggestion[] {
  const out: Suggestion[] = [];
  for (const side of ['source', 'destination'] as const) {
    const s = c[side];
    if (!s.spec) continue;
    for (const f of secretFields(s.spec, s.config)) {
      if (typeof f.value !== 'string' || f.value === '' || PLACEHOLDER.test(f.value)) continue;
      const variable = placeholderName(s.technicalName ?? s.ref, f.key);
      out.push({
        id: 'security.secret-in-clear', category: 'security', severity: 'critical', side, basis: 'spec',
        message: `${side}.config.${f.path.join('.')} is a secret written in the file; read it from the environment instead (export ${variable}, then keep the value out of the file and its history)`,
        change: { file: [{ op: 'set', path: [side, 'config', ...f.path], value: `\${${variable}}` }] },
        // Not applied by --apply: the value must be exported first, or the next sync fails.
        safe: false,
      });
    }
    for (const [path, value] of strings(s.config)) {
      if (/^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]+:[^@\s]+@/i.test(value) && !/:\$\{[A-Za-z_]\w*\}@/.test(value)) {
        out.push({
          id: 'security.password-in-url', category: 'security', severity: 'critical', side, basis: 'spec',
          message: `${side}.config.${path.join('.')} holds a URL with a password in it; put the password in a secret field or a \${VAR}`,
          change: {}, safe: false,
        });
      }
    }
  }
  return out;
}

function* strings(v: unknown, path: string[] = []): Generator<[string[], string]> {
  if (typeof v === 'string') yield [path, v];
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) yield* strings(x, [...path, k]);
}

const WEAK_MODES = new Set(['disable', 'allow', 'prefer', 'preferred', 'unencrypted']);

/** Transport encryption off or optional: SSL modes, `ssl: false`, ClickHouse over http, Kafka PLAINTEXT. */
export function weakTransport(c: ConnectionFacts): Suggestion[] {
  const out: Suggestion[] = [];
  for (const side of ['source', 'destination'] as const) {
    const s = c[side];
    const props = s.spec?.properties;
    if (!props) continue;
    const host = typeof s.config.host === 'string' ? s.config.host : '';
    const local = LOOPBACK.test(host);
    const severity = local ? 'info' : 'warning';
    const where = local ? ' (loopback host: low risk, but the same file may go to production)' : '';
    for (const [key, prop] of Object.entries(props)) {
      if (!/ssl|tls|encryption/i.test(`${key} ${prop.title ?? ''}`)) continue;
      if (prop.oneOf) {
        const disc = discriminatorOf(prop.oneOf);
        const current = s.config[key] as Record<string, unknown> | undefined;
        const mode = disc && current ? String(current[disc] ?? '') : '';
        if (!disc || (current && !WEAK_MODES.has(mode))) continue;
        const want = sslBranch(prop.oneOf, 'require');
        const value = want >= 0 ? fixedValue(prop.oneOf[want]!.properties?.[disc])?.value : undefined;
        if (value === undefined) continue;
        const verified = s.postgres?.ssl === true;
        out.push({
          id: 'security.ssl-mode', category: 'security', severity, side, basis: verified ? 'service' : 'spec',
          message: current
            ? `${side}.config.${key} is "${mode}": traffic may go unencrypted${where}; require encryption${verified ? ' (the server has SSL on)' : ''}`
            : `${side}.config.${key} is not set: the connector may connect without encryption${where}; require it`,
          change: { file: [{ op: 'set', path: [side, 'config', key], value: { [disc]: value } }] },
          // Safe only when the server is known to speak SSL: otherwise the next sync could not connect.
          safe: verified,
        });
      } else if (typesOf(prop).includes('boolean') && s.config[key] === false) {
        out.push({
          id: 'security.ssl-off', category: 'security', severity, side, basis: 'spec',
          message: `${side}.config.${key} is false: the connection is not encrypted${where}`,
          change: { file: [{ op: 'set', path: [side, 'config', key], value: true }] }, safe: false,
        });
      }
    }
    const protocol = props.protocol;
    if (Array.isArray(protocol?.enum) && protocol.enum.includes('https') && s.config.protocol === 'http') {
      out.push({
        id: 'security.http', category: 'security', severity, side, basis: 'spec',
        message: `${side}.config.protocol is http: credentials and data cross the network in clear${where}; use https (usually port 8443)`,
        change: { file: [{ op: 'set', path: [side, 'config', 'protocol'], value: 'https' }] }, safe: false,
      });
    }
    const kafka = s.config.protocol as Record<string, unknown> | undefined;
    if (protocol?.oneOf && kafka && /PLAINTEXT/.test(String(kafka.security_protocol ?? ''))) {
      out.push({
        id: 'security.kafka-plaintext', category: 'security', severity, side, basis: 'spec',
        message: `${side}.config.protocol is ${String(kafka.security_protocol)}: the brokers are reached without TLS${where}; use SASL_SSL (needs a JAAS config as a \${VAR})`,
        change: { file: [{ op: 'set', path: [side, 'config', 'protocol', 'security_protocol'], value: 'SASL_SSL' }] }, safe: false,
      });
    }
  }
  return out;
}

