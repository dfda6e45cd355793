import { Socket, createServer, type AddressInfo } from 'node:net';
import { noDelaySocketFactory } from './socket-factory';

describe('noDelaySocketFactory', () => {
  it('connects with Nagle off and keep-alive on', async () => {
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const noDelay = jest.spyOn(Socket.prototype, 'setNoDelay');
    const keepAlive = jest.spyOn(Socket.prototype, 'setKeepAlive');
    try {
      const { port } = server.address() as AddressInfo;
      let socket!: Socket;
      await new Promise<void>((resolve) => {
        socket = noDelaySocketFactory({ host: '127.0.0.1', port, ssl: null as never, onConnect: resolve });
      });
      expect(noDelay).toHaveBeenCalledWith(true);
      expect(keepAlive).toHaveBeenCalledWith(true, 60_000);
      expect(socket.remotePort).toBe(port);
      socket.destroy();
    } finally {
      noDelay.mockRestore();
      keepAlive.mockRestore();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
