import * as dns from 'node:dns';
import * as net from 'node:net';

/** What a `LoopbackConnectGuard` saw: every address a socket was about to connect to. */
export interface LoopbackConnectGuard {
  /** Addresses handed to a socket for connecting, in order (after any `lookup`). */
  readonly attempts: string[];
  restore(): void;
}

type SocketConnect = (this: net.Socket, ...args: unknown[]) => net.Socket;
type ConnectOptions = { host?: string; lookup?: net.LookupFunction };

const isLoopback = (address: string) => address === '::1' || /^(::ffff:)?127\./.test(address);

/**
 * Test safety net: this sandbox must never send traffic to a non-loopback address. Every socket
 * connect is watched; a connection to anything but loopback is stopped with an error (so a policy bug
 * fails the test instead of reaching the network), and every address is recorded, which lets tests
 * assert that a refusal happened before any connection was attempted.
 */
export function installLoopbackConnectGuard(): LoopbackConnectGuard {
  const proto = net.Socket.prototype as unknown as { connect: SocketConnect };
  const original = proto.connect;
  const attempts: string[] = [];

  proto.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const first = args[0];
    const options = (Array.isArray(first) ? first[0] : first) as ConnectOptions | undefined;
    if (options && typeof options === 'object' && typeof options.host === 'string') {
      if (net.isIP(options.host) !== 0) {
        attempts.push(options.host);
        if (!isLoopback(options.host)) {
          const blocked = new Error(`loopback connect guard: blocked connection to ${options.host}`);
          process.nextTick(() => this.destroy(blocked));
          return this;
        }
      } else {
        options.lookup = watchLookup(options.lookup ?? (dns.lookup as net.LookupFunction), attempts);
      }
    }
    return original.apply(this, args);
  };
  return { attempts, restore: () => void (proto.connect = original) };
}

function watchLookup(inner: net.LookupFunction, attempts: string[]): net.LookupFunction {
  return (hostname, options, callback) =>
    inner(hostname, options, (error, address, family) => {
      if (error) return callback(error, address, family);
      const addresses = Array.isArray(address) ? address.map((entry) => entry.address) : [address];
      attempts.push(...addresses);
      const outside = addresses.find((entry) => !isLoopback(entry));
      if (outside !== undefined) {
        return callback(new Error(`loopback connect guard: blocked connection to ${outside}`), '', 0);
      }
      return callback(null, address, family);
    });
}
