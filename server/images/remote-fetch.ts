import { createWriteStream } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IMAGES } from '../../shared/limits';
import { AppError } from '../errors';
import { checkTarget, checkUrl, type GuardOptions, type Resolved } from './ssrf-guard';
import { tooLargeUpload } from './receive';

export type RemoteFetchOptions = GuardOptions & {
  maxBytes?: number;
  maxRedirects?: number;
  connectTimeoutMs?: number;
  totalTimeoutMs?: number;
};

const failed = (message: string) => new AppError('remote_fetch_failed', message, { url: message });

/**
 * Downloads a user-supplied image URL into `dest` under the SSRF rules of ssrf-guard.ts.
 * Each hop (at most `maxRedirects` redirects) is checked afresh and connected to the exact
 * address that passed the check: the lookup hook hands the socket that address, and IP
 * literals are checked before connecting. No connection is reused between hops.
 */
export async function fetchRemoteImage(
  raw: string,
  dest: string,
  options: RemoteFetchOptions = {},
): Promise<{ url: string }> {
  const maxBytes = options.maxBytes ?? IMAGES.maxBytes;
  const maxRedirects = options.maxRedirects ?? IMAGES.remoteMaxRedirects;
  const signal = AbortSignal.timeout(options.totalTimeoutMs ?? IMAGES.remoteTotalTimeoutMs);
  let url = checkUrl(raw);
  try {
    for (let hop = 0; ; hop++) {
      const target = await checkTarget(url, options);
      const res = await get(url, target, signal, options.connectTimeoutMs ?? IMAGES.remoteConnectTimeoutMs);
      const location = res.headers.location;
      if (res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && location) {
        res.resume();
        if (hop >= maxRedirects)
          throw failed(`The image address redirected more than ${maxRedirects} times.`);
        url = checkUrl(new URL(location, url));
        continue;
      }
      if (!res.statusCode || res.statusCode < 200 || res.statusCode >= 300) {
        res.resume();
        throw failed(
          `The image address answered ${res.statusCode ?? 'nothing'}${res.statusMessage ? ` ${res.statusMessage}` : ''}.`,
        );
      }
      const declared = Number(res.headers['content-length'] ?? NaN);
      if (declared > maxBytes) {
        res.destroy();
        throw tooLargeUpload(maxBytes);
      }
      await pipeline(res, byteCap(maxBytes), createWriteStream(dest), { signal });
      return { url: url.href };
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (signal.aborted) throw failed('Fetching the image took too long.');
    throw failed(
      `The image could not be fetched (${(error as NodeJS.ErrnoException).code ?? 'connection failed'}).`,
    );
  }
}

function get(
  url: URL,
  target: Resolved,
  signal: AbortSignal,
  connectTimeoutMs: number,
): Promise<IncomingMessage> {
  // Hands the socket the address that was checked, whatever the resolver would say now.
  const pinned: LookupFunction = (_hostname, opts, callback) => {
    if (opts.all) callback(null, [target]);
    else callback(null, target.address, target.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, {
      method: 'GET',
      agent: false,
      lookup: pinned,
      signal,
      headers: { accept: 'image/*', 'user-agent': 'RemindMe (image fetch)' },
    });
    const connectTimer = setTimeout(
      () => req.destroy(failed('The image server did not answer in time.')),
      connectTimeoutMs,
    );
    req.once('socket', (socket) =>
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer)),
    );
    req.once('response', (res) => {
      clearTimeout(connectTimer);
      resolve(res);
    });
    req.once('error', (error) => {
      clearTimeout(connectTimer);
      reject(error);
    });
    req.end();
  });
}

/** Passes bytes through until `max`, then fails with 413 instead of writing more. */
export function byteCap(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > max) callback(tooLargeUpload(max));
      else callback(null, chunk);
    },
  });
}
