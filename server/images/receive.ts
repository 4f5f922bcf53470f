import { createWriteStream, type WriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { AppError } from '../errors';

export const tooLargeUpload = (max: number) =>
  new AppError(
    'payload_too_large',
    `The image is too large: the limit is ${(max / 1_000_000).toLocaleString('en')} MB.`,
  );

/** Room for the multipart envelope around the file (boundaries, part headers, `sourceUrl`). */
const ENVELOPE_BYTES = 64 * 1024;

const invalid = (message: string, field = 'file') =>
  new AppError('validation_failed', message, { [field]: message });

/**
 * Streams a multipart upload's `file` part into `dest`, never holding more than a chunk in
 * memory (Hono's parseBody would buffer the whole body). The byte cap is enforced while
 * reading: past it, reading stops and the caller answers 413 at once. A declared
 * Content-Length over the cap is refused before a byte is read.
 */
export async function receiveMultipart(
  request: Request,
  dest: string,
  maxBytes: number,
): Promise<{ fields: Record<string, string> }> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > maxBytes + ENVELOPE_BYTES) throw tooLargeUpload(maxBytes);
  if (!request.body) throw invalid('Attach the image as the form field "file".');
  return parseMultipart(
    Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>),
    request.headers,
    dest,
    maxBytes,
  );
}

/**
 * The same, reading Node's request stream directly when the server hands it over (it skips
 * two stream conversions, each with buffers of its own, on every chunk of a 25 MB upload).
 */
export async function receiveMultipartFrom(
  source: Readable,
  headers: Headers,
  dest: string,
  maxBytes: number,
): Promise<{ fields: Record<string, string> }> {
  const declared = Number(headers.get('content-length') ?? NaN);
  if (declared > maxBytes + ENVELOPE_BYTES) throw tooLargeUpload(maxBytes);
  return parseMultipart(source, headers, dest, maxBytes);
}

function parseMultipart(
  source: Readable,
  headers: Headers,
  dest: string,
  maxBytes: number,
): Promise<{ fields: Record<string, string> }> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': headers.get('content-type') ?? '' },
      limits: { files: 1, fileSize: maxBytes, fields: 4, fieldSize: 4096, parts: 5 },
    });
  } catch {
    return Promise.reject(invalid('The upload is not a valid multipart form.'));
  }

  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let written: Promise<void> | undefined;
    let file: Readable | undefined;
    let out: WriteStream | undefined;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      // Stop parsing but keep draining the request so the client can read our answer.
      source.unpipe(parser);
      source.resume();
      // Answer only once the scratch file is closed, so the caller's cleanup really removes it.
      file?.destroy();
      if (!out || out.closed) return reject(error);
      out.once('close', () => reject(error));
      out.destroy();
    };

    parser.on('file', (name, stream) => {
      if (name !== 'file' || written) {
        stream.resume();
        fail(invalid(name === 'file' ? 'Send one file per upload.' : `Unknown field "${name}".`, name));
        return;
      }
      file = stream;
      out = createWriteStream(dest);
      stream.once('limit', () => fail(tooLargeUpload(maxBytes)));
      written = pipeline(stream, out);
      written.catch((error: Error) => fail(error));
    });
    parser.on('field', (name, value, info) => {
      if (name !== 'sourceUrl') fail(invalid(`Unknown field "${name}".`, name));
      else if (info.valueTruncated) fail(invalid('The source URL is too long.', name));
      else fields[name] = value;
    });
    for (const event of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const) {
      parser.on(event, () =>
        fail(invalid('The form has too many parts: send one file (and optionally sourceUrl).')),
      );
    }
    parser.on('error', () => fail(invalid('The upload is not a valid multipart form.')));
    parser.on('close', () => {
      if (settled) return;
      if (!written) return fail(invalid('Attach the image as the form field "file".'));
      written.then(() => {
        if (settled) return;
        settled = true;
        resolve({ fields });
      }, fail);
    });
    source.on('error', () => fail(invalid('The upload was interrupted.')));
    source.pipe(parser);
  });
}

/** Reads a small text body (the JSON form) with a cap, since this route skips the global one. */
export async function readCappedText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  const tooLarge = () =>
    new AppError('payload_too_large', `The request is too large (the limit is ${maxBytes / 1024} KB).`);
  if (declared > maxBytes) throw tooLarge();
  if (!request.body) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>)) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
