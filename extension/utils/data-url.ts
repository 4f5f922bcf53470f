/**
 * `data:` image URLs are decoded here, in the extension: there is nothing to fetch, and
 * sending one to the server as `{url}` would be refused (http/https only) anyway. Both
 * forms pages use: base64 (`data:image/png;base64,iVBOR…`) and percent-encoded text
 * (`data:image/svg+xml,%3Csvg…`, as inline SVG icons are written).
 */

export interface DecodedBytes {
  mime: string;
  bytes: Uint8Array;
}

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*?)(;base64)?,(.*)$/is;

/** null when `url` is not a well-formed `data:` URL. */
export function decodeDataUrl(url: string): DecodedBytes | null {
  const match = DATA_URL.exec(url.trim());
  if (!match) return null;
  const mime = (match[1] || 'text/plain').toLowerCase();
  const body = match[4] ?? '';
  try {
    if (match[3]) return { mime, bytes: fromBase64(decodeURIComponent(body)) };
    return { mime, bytes: new TextEncoder().encode(decodeURIComponent(body)) };
  } catch {
    return null;
  }
}

/** Standard base64 (whitespace tolerated, as in data: URLs copied from source). */
export function fromBase64(text: string): Uint8Array {
  const binary = atob(text.replace(/\s+/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A copy of `bytes` that is exactly its own ArrayBuffer (IndexedDB stores whole buffers). */
export function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}
