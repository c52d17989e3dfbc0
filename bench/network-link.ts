import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * The network between one terminal and the server, for a benchmark that takes it away while the
 * server and the other terminals go on: a TCP relay on a loopback port, which the terminal enrols
 * through. Cut, it drops every connection it carries (the live socket, kept-alive HTTP) and stops
 * listening, so the terminal's next requests are refused exactly as when the server is down;
 * restored, it listens on the same port again and the terminal finds the server where it was.
 */
export interface NetworkLink {
  /** The server's address as the terminal reaches it, through the link. */
  readonly url: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function openNetworkLink(serverUrl: string): Promise<NetworkLink> {
  const target = new URL(serverUrl);
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A relay adds no wait of its own: small writes (a scan's push, an announcement) go at once.
    socket.setNoDelay(true);
  };
  const relay = createServer((terminal) => {
    const server = connect(Number(target.port), target.hostname);
    track(terminal);
    track(server);
    terminal.pipe(server).pipe(terminal);
    // Either end failing ends the pair, as a broken network would.
    terminal.on('error', () => server.destroy());
    server.on('error', () => terminal.destroy());
    terminal.on('close', () => server.destroy());
    server.on('close', () => terminal.destroy());
  });
  const listen = (port: number) => new Promise<void>((resolve, reject) => {
    relay.once('error', reject);
    relay.listen(port, '127.0.0.1', () => {
      relay.off('error', reject);
      resolve();
    });
  });
  await listen(0);
  const { port } = relay.address() as AddressInfo;
  const stop = async () => {
    if (!relay.listening) return;
    const closed = new Promise<void>((resolve) => relay.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    cut: stop,
    restore: () => listen(port),
    close: stop,
  };
}
