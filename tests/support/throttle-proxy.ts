import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through proxy in front of the real server that reads image upload bodies
 * (`POST /api/images`) at a bounded rate, as a real uplink would. On loopback a multi-MB
 * upload otherwise finishes between two progress events, so a test could not tell a real
 * progress bar from one that jumps from 0 to done.
 */
export async function startThrottlingProxy(target: string, bytesPerSecond: number) {
  const upstream = new URL(target);
  const server = createServer((req: IncomingMessage, res) => {
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    if (req.method !== 'POST' || !req.url?.startsWith('/api/images')) {
      req.pipe(forward);
      return;
    }
    const started = Date.now();
    let sent = 0;
    req.on('data', (chunk: Buffer) => {
      forward.write(chunk);
      sent += chunk.length;
      const wait = started + (sent / bytesPerSecond) * 1000 - Date.now();
      if (wait > 0) {
        req.pause();
        setTimeout(() => req.resume(), wait);
      }
    });
    req.on('end', () => forward.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
