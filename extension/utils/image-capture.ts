import { browser } from 'wxt/browser';
import { IMAGES } from '../../shared/limits';
import type { ClickedTab, MenuClickInfo } from './capture';
import { decodeDataUrl, fromBase64 } from './data-url';
import { imageProblem } from './image-rules';

/**
 * Captures the image the person right-clicked, as they see it.
 *
 * - `data:` URLs are decoded here: there is nothing to fetch.
 * - Everything else is read first inside the page's frame (the menu click grants
 *   `activeTab`), where a fetch carries the page's cookies and referrer and is answered
 *   from the HTTP cache: that reads `blob:` URLs, hotlink-protected and signed-in-only
 *   images. If the fetch fails but the image is on screen (a `blob:` URL the page already
 *   revoked after loading it), its pixels are read from a canvas instead.
 * - A public http(s) image the page cannot read (another site's, without CORS) is sent to
 *   the server as its address; the server fetches it under its SSRF rules.
 * - Otherwise capture is impossible and the person is told why; nothing is saved.
 */

export type CapturedImage =
  | {
      kind: 'bytes';
      bytes: Uint8Array;
      mime: string;
      /** The image's own http(s) address, kept with it on the server. */
      sourceUrl: string | null;
      alt: string | null;
      title: string | null;
    }
  | { kind: 'remote'; url: string; alt: string | null; title: string | null }
  | { kind: 'failed'; code: string; message: string };

interface PageRead {
  status: 'ok' | 'too_large' | 'unreadable' | 'skipped';
  base64?: string;
  mime?: string;
  size?: number;
  alt: string | null;
  title: string | null;
}

/**
 * Runs in the page, serialised by the browser: it must not use anything from this module.
 * Returns the bytes as base64 because script results travel as JSON.
 */
async function readImageInPage(srcUrl: string, maxBytes: number, readBytes: boolean): Promise<PageRead> {
  const img = Array.from(document.images).find((i) => i.currentSrc === srcUrl || i.src === srcUrl) ?? null;
  const alt = (img?.alt || img?.title || '').trim() || null;
  const title = document.title.trim() || null;
  if (!readBytes) return { status: 'skipped', alt, title };

  const encode = async (blob: Blob): Promise<PageRead> => {
    if (blob.size > maxBytes) return { status: 'too_large', size: blob.size, alt, title };
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    return { status: 'ok', base64: btoa(binary), mime: blob.type, size: blob.size, alt, title };
  };

  try {
    // `force-cache`: the bytes the page already shows, without downloading them again.
    // Cookies go with same-origin requests; a cross-origin CDN answering `*` still works.
    const response = await fetch(srcUrl, { credentials: 'same-origin', cache: 'force-cache' });
    if (response.ok) return await encode(await response.blob());
  } catch {
    // Not readable from here (another site without CORS, a revoked blob: URL): try pixels.
  }
  if (img && img.complete && img.naturalWidth > 0) {
    try {
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const context = canvas.getContext('2d');
      if (context) {
        context.drawImage(img, 0, 0);
        // Throws for another site's image (a "tainted" canvas): that one is not ours to read.
        const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/webp', 0.92));
        if (blob) return await encode(blob);
      }
    } catch {
      // Tainted: fall through.
    }
  }
  return { status: 'unreadable', alt, title };
}

async function readInPage(
  info: MenuClickInfo,
  tab: ClickedTab | undefined,
  srcUrl: string,
  readBytes: boolean,
): Promise<PageRead | null> {
  if (tab?.id === undefined || tab.id < 0) return null;
  try {
    const [result] = await browser.scripting.executeScript({
      target: { tabId: tab.id, frameIds: [info.frameId ?? 0] },
      func: readImageInPage,
      args: [srcUrl, IMAGES.maxBytes, readBytes],
    });
    const read = result?.result as PageRead | undefined;
    return read && typeof read.status === 'string' ? read : null;
  } catch {
    // Pages where no script may run (the Web Store, PDF viewer, another site's frame).
    return null;
  }
}

const isHttp = (url: string) => /^https?:\/\//i.test(url);

const failed = (code: string, message: string): CapturedImage => ({ kind: 'failed', code, message });

export async function captureImage(info: MenuClickInfo, tab: ClickedTab | undefined): Promise<CapturedImage> {
  const srcUrl = info.srcUrl?.trim();
  if (!srcUrl) return failed('no_image', 'No image was found where you right-clicked.');
  const isData = /^data:/i.test(srcUrl);
  const page = await readInPage(info, tab, srcUrl, !isData);
  const alt = page?.alt ?? null;
  const title = tab?.title ?? page?.title ?? null;

  if (isData) {
    const decoded = decodeDataUrl(srcUrl);
    if (!decoded)
      return failed('unreadable', 'This image’s data could not be read: its data: address is damaged.');
    return { kind: 'bytes', bytes: decoded.bytes, mime: decoded.mime, sourceUrl: null, alt, title };
  }
  if (page?.status === 'ok' && page.base64 !== undefined) {
    const bytes = fromBase64(page.base64);
    return {
      kind: 'bytes',
      bytes,
      mime: page.mime ?? '',
      sourceUrl: isHttp(srcUrl) ? srcUrl : null,
      alt,
      title,
    };
  }
  if (page?.status === 'too_large') {
    return failed(
      'image_too_large',
      imageProblem('', page.size ?? IMAGES.maxBytes + 1) ?? 'The image is too large.',
    );
  }
  if (isHttp(srcUrl)) return { kind: 'remote', url: srcUrl, alt, title };
  if (/^blob:/i.test(srcUrl)) {
    return failed(
      'unreadable',
      'This image could not be read: the page no longer keeps it (its temporary blob: address has been released). Reload the page and try again, or save the image as a file and attach it in the RemindMe popup.',
    );
  }
  return failed(
    'unreadable',
    'This image could not be read from this page. Save it as a file and attach it in the RemindMe popup.',
  );
}
