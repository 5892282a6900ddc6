import { once } from 'node:events';
import { createServer, type Server, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CuttingProxy } from './cutting-proxy.js';

let echo: Server | undefined;
let proxy: CuttingProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await new Promise((resolve) => echo?.close(resolve));
});

describe('CuttingProxy', () => {
  it('forwards both ways and resets every open connection on cut()', async () => {
    echo = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.pipe(socket);
    });
    await new Promise<void>((resolve) => echo?.listen(0, '127.0.0.1', resolve));
    const address = echo.address();
    proxy = await CuttingProxy.start(typeof address === 'object' && address ? address.port : 0);
    const client = new Socket();
    client.on('error', () => undefined);
    client.connect(proxy.port, '127.0.0.1');
    await once(client, 'connect');
    client.write('ping');
    const [reply] = await once(client, 'data');
    expect(String(reply)).toBe('ping');
    // A reset arrives as an error and then a close (events.once would reject on the error).
    const closed = new Promise((resolve) => client.once('close', resolve));
    expect(proxy.cut()).toBe(1);
    await closed;
    expect(proxy.cuts).toBe(1);
  });
});
