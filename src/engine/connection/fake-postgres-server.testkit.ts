/**
 * Test support only: a TCP server that speaks just enough of PostgreSQL's wire protocol to make
 * the real `pg` driver meet situations the local trust-auth server cannot produce (a password
 * request, a wrong-password FATAL, a TLS-only server with a self-signed certificate, silence).
 */
import { type Server, type Socket, createServer } from 'node:net';
import { TLSSocket } from 'node:tls';
import { assertNever } from '../../shared/assert-never';

/** What the fake server does once it has read the startup message. */
export type FakeBehaviour =
  | { kind: 'silent' }
  | { kind: 'ask-cleartext-password' }
  | { kind: 'ask-scram-password' }
  | { kind: 'fatal'; code: string; message: string };

export interface FakeServerOptions {
  behaviour: FakeBehaviour;
  /** Answer SSLRequest with 'S' and a TLS handshake using this key/cert (else 'N'). */
  tls?: { key: string; cert: string };
}

export interface FakeServer {
  port: number;
  /** Number of startup messages seen (after any TLS negotiation). */
  startups(): number;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;

function authMessage(code: number, extra: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(9);
  head.write('R', 0);
  head.writeInt32BE(8 + extra.length, 1);
  head.writeInt32BE(code, 5);
  return Buffer.concat([head, extra]);
}

function errorMessage(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, 'utf8');
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([head, fields]);
}

/** Start a fake server on 127.0.0.1 and a free port. */
export async function startFakePostgres(options: FakeServerOptions): Promise<FakeServer> {
  let startups = 0;
  const sockets = new Set<Socket>();

  const answerStartup = (socket: Socket): void => {
    startups += 1;
    const b = options.behaviour;
    switch (b.kind) {
      case 'silent':
        return;
      case 'ask-cleartext-password':
        // As PostgreSQL does: whatever password message comes back is judged wrong.
        socket.write(authMessage(3));
        socket.once('data', () => socket.end(errorMessage('28P01', 'password authentication failed for user "alice"')));
        return;
      case 'ask-scram-password':
        socket.write(authMessage(10, Buffer.from('SCRAM-SHA-256\0\0', 'utf8')));
        // The client checks its password only once the server's first SCRAM message arrives.
        socket.once('data', () => socket.write(authMessage(11, Buffer.from('r=abc,s=c2FsdA==,i=4096', 'utf8'))));
        return;
      case 'fatal':
        socket.end(errorMessage(b.code, b.message));
        return;
      default:
        return assertNever(b, 'fake server behaviour');
    }
  };

  const serve = (socket: Socket, allowSslRequest: boolean): void => {
    socket.on('error', () => {});
    socket.once('data', (chunk) => {
      if (allowSslRequest && chunk.length >= 8 && chunk.readInt32BE(4) === SSL_REQUEST) {
        if (!options.tls) {
          socket.write('N');
          serve(socket, false);
          return;
        }
        socket.write('S');
        const secure = new TLSSocket(socket, { isServer: true, key: options.tls.key, cert: options.tls.cert });
        sockets.add(secure);
        serve(secure, false);
        return;
      }
      answerStartup(socket);
    });
  };

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    serve(socket, true);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('fake server has no port');
  return {
    port: address.port,
    startups: () => startups,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
