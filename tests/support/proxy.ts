import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Proxy = {
  url: string;
  /** Every request that came through, in order. */
  requests: Array<{ method: string; path: string }>;
  close(): Promise<void>;
};

/**
 * A pass-through HTTP proxy in front of the real test server. It records each request, so
 * a test can count how many times the extension actually sent something (the server's
 * idempotency would otherwise hide a duplicate send); with `throttle` it reads the bodies
 * of the requests it names at a bounded rate, as a real uplink would (on loopback a
 * multi-MB upload finishes between two progress events).
 */
async function startProxy(
  target: string,
  throttle?: { bytesPerSecond: number; applies(req: IncomingMessage): boolean },
): Promise<Proxy> {
  const upstream = new URL(target);
  const requests: Proxy['requests'] = [];
  const server = createServer((req: IncomingMessage, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '' });
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
    if (!throttle?.applies(req)) {
      req.pipe(forward);
      return;
    }
    const started = Date.now();
    let sent = 0;
    req.on('data', (chunk: Buffer) => {
      forward.write(chunk);
      sent += chunk.length;
      const wait = started + (sent / throttle.bytesPerSecond) * 1000 - Date.now();
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
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const startRecordingProxy = (target: string) => startProxy(target);

/** Image uploads (`POST /api/images`) at `bytesPerSecond`; everything else at full speed. */
export const startThrottlingProxy = (target: string, bytesPerSecond: number) =>
  startProxy(target, {
    bytesPerSecond,
    applies: (req) => req.method === 'POST' && (req.url?.startsWith('/api/images') ?? false),
  });
