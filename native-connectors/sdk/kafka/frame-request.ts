/** What kafkajs request encoders return (its Encoder: bytes in `buf` up to `offset`). */
export interface KafkajsEncoder { buf: Buffer; offset: number }

/**
 * kafkajs' request framing (size, api key and version, correlation id, client id, then the body) with
 * one copy of the body: its own copies it into an encoder that doubles from 512 B and then once more,
 * which for a 1 MB produce request is several megabytes copied per request.
 */
export async function frameRequest({ correlationId, clientId, request }: { correlationId: number; clientId: string | null; request: { apiKey: number; apiVersion: number; encode(): Promise<KafkajsEncoder> } }): Promise<{ buffer: Buffer; size(): number }> {
  const payload = await request.encode();
  const clientLen = clientId === null || clientId === undefined ? -1 : Buffer.byteLength(clientId, 'utf8');
  const head = 4 + 2 + 2 + 4 + 2 + Math.max(0, clientLen);
  const out = Buffer.allocUnsafe(head + payload.offset);
  out.writeInt32BE(out.length - 4, 0);
  out.writeInt16BE(request.apiKey, 4);
  out.writeInt16BE(request.apiVersion, 6);
  out.writeInt32BE(correlationId, 8);
  out.writeInt16BE(clientLen, 12);
  if (clientLen > 0) out.write(clientId!, 14, 'utf8');
  payload.buf.copy(out, head, 0, payload.offset);
  return { buffer: out, size: () => out.length };
}
