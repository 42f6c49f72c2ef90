import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DirectSocket } from './direct-socket.js';

/** A loopback server whose first connection the test writes to. */
async function serve(): Promise<{ socket: DirectSocket; peer: net.Socket; close: () => Promise<void> }> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection');
  const socket = new DirectSocket();
  socket.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  const [peer] = (await accepted) as [net.Socket];
  await once(socket, 'connect');
  return {
    socket, peer,
    close: async () => { socket.destroy(); peer.destroy(); server.close(); await once(server, 'close'); },
  };
}

describe('DirectSocket', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => { await close?.(); close = undefined; });

  it('gives node-postgres copies as data events, and a sink the bytes where they lie', async () => {
    const s = await serve();
    close = s.close;
    const events: Buffer[] = [];
    s.socket.on('data', (b: Buffer) => events.push(b));
    s.peer.write('first');
    await new Promise((r) => setTimeout(r, 50));
    // A data event is the listener's own: later reads into the socket's buffer do not change it.
    const seen: string[] = [];
    s.socket.sink = (bytes) => { seen.push(bytes.toString()); return true; };
    s.peer.write('second');
    await new Promise((r) => setTimeout(r, 50));
    s.socket.sink = undefined;
    s.peer.write('third');
    await new Promise((r) => setTimeout(r, 50));
    expect(events.map(String)).toEqual(['first', 'third']);
    expect(seen).toEqual(['second']);
  });

  it('stops reading when the sink returns false, until resume()', async () => {
    const s = await serve();
    close = s.close;
    const seen: string[] = [];
    s.socket.sink = (bytes) => { seen.push(bytes.toString()); return false; };
    s.peer.write('a');
    await new Promise((r) => setTimeout(r, 50));
    s.peer.write('b');
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual(['a']);
    s.socket.sink = (bytes) => { seen.push(bytes.toString()); return true; };
    s.socket.resume();
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual(['a', 'b']);
  });
});
