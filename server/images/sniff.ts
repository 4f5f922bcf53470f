import { open } from 'node:fs/promises';

export type SniffedType = 'jpeg' | 'png' | 'gif' | 'webp' | 'avif' | 'svg';

/** Enough of the start of a file to recognise every accepted type, SVG's prologue included. */
const HEAD_BYTES = 4096;

const startsWith = (head: Buffer, bytes: number[], offset = 0) =>
  bytes.every((b, i) => head[offset + i] === b);
const ascii = (head: Buffer, start: number, end: number) => head.subarray(start, end).toString('latin1');

/**
 * The type of an upload comes from its first bytes, never from its name or a header: a file
 * of HTML called `photo.png` is HTML. Returns null for anything that is not an accepted type.
 */
export function sniff(head: Buffer): SniffedType | null {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
  if (isAvif(head)) return 'avif';
  if (isSvg(head)) return 'svg';
  return null;
}

/** ISO-BMFF `ftyp` box whose major or compatible brands name AVIF (`avif`, or `avis` for sequences). */
function isAvif(head: Buffer): boolean {
  if (head.length < 16 || ascii(head, 4, 8) !== 'ftyp') return false;
  const size = Math.min(head.readUInt32BE(0), head.length);
  if (size < 16) return false;
  const brands = [ascii(head, 8, 12)];
  for (let at = 16; at + 4 <= size; at += 4) brands.push(ascii(head, at, at + 4));
  return brands.includes('avif') || brands.includes('avis');
}

/**
 * SVG is text: after an optional BOM, whitespace, XML declaration, comments and doctype, the
 * first element must be `<svg`. An HTML page with an inline SVG starts with `<!DOCTYPE html>`
 * or `<html>` and is not an SVG.
 */
function isSvg(head: Buffer): boolean {
  let text = head.toString('utf8').replace(/^\uFEFF/, '');
  for (;;) {
    text = text.trimStart();
    const skip = /^(?:<\?xml[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE\s+svg\b[^>[]*(?:\[[\s\S]*?\])?\s*>)/i.exec(
      text,
    );
    if (!skip) break;
    text = text.slice(skip[0].length);
  }
  return /^<svg[\s>/]/.test(text);
}

export async function sniffFile(path: string): Promise<SniffedType | null> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
    return sniff(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
