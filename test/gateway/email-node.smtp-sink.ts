import { createServer, type Server, type Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedEmail {
  from: string;
  to: string[];
  raw: string;
  user: string;
}

/**
 * A real SMTP server (the nodemailer project's smtp-server) on a loopback address: plaintext (or STARTTLS), AUTH
 * required, one username and password; what it accepts is kept in `received`.
 */
export async function startSmtpSink(host: string, credentials: { user: string; pass: string }, options: { starttls?: boolean } = {}) {
  const received: ReceivedEmail[] = [];
  let connections = 0;
  let authFailures = 0;
  const server = new SMTPServer({
    secure: false,
    // With STARTTLS on, the server offers it with smtp-server's built-in self-signed certificate.
    disabledCommands: options.starttls ? [] : ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    disableReverseLookup: true,
    logger: false,
    onConnect: (_session, callback) => {
      connections++;
      callback();
    },
    onAuth: (auth, _session, callback) => {
      if (auth.username === credentials.user && auth.password === credentials.pass) return callback(null, { user: auth.username });
      authFailures++;
      return callback(new Error('Invalid username or password'));
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: String(session.user),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    received,
    get connections() { return connections; },
    get authFailures() { return authFailures; },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A TCP server that accepts connections and never says a word: an SMTP server that hangs before its greeting. */
export async function startSilentServer(host: string) {
  const sockets: Socket[] = [];
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    sockets.push(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  return {
    port: (server.address() as { port: number }).port,
    get connections() { return connections; },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
