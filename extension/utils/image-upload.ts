import { browser, type Browser } from 'wxt/browser';
import type { Image } from '../../shared/schemas/images';
import { ApiError, readUploadAnswer, UPLOAD_TIMEOUT_MS, uploadForm, type ApiClient } from './api';
import { getPending, hasPending } from './image-db';
import { uploadFilename } from './image-rules';
import type { PendingImage, Session } from './storage';
import { xhrUpload } from './xhr-upload';

/**
 * The background's image upload, with real progress where the browser allows it:
 * - Firefox runs the background as a page, which has XMLHttpRequest: it uploads directly.
 * - Chrome's service worker has no XMLHttpRequest: it hands the upload to an offscreen
 *   document (offscreen.html), which reads the bytes from IndexedDB itself (messages carry
 *   JSON only), uploads with XHR and reports progress back by message.
 * - Anywhere else (tests on Node) a plain fetch, reporting only start and end.
 * Either way the background decides what the answer means (readUploadAnswer), exactly as
 * for every other request.
 */

export type ProgressFn = (loaded: number, total: number) => void;

export type BytesImage = Extract<PendingImage, { kind: 'bytes' }>;

/** The request the background sends to the offscreen document. */
export interface OffscreenUpload {
  target: 'offscreen';
  type: 'upload';
  uploadId: string;
  url: string;
  token: string;
  blobKey: string;
  mime: string;
  sourceUrl: string | null;
  filename: string;
  timeoutMs: number;
}

export function isOffscreenUpload(message: unknown): message is OffscreenUpload {
  const m = message as Partial<OffscreenUpload> | null;
  return !!m && m.target === 'offscreen' && m.type === 'upload' && typeof m.blobKey === 'string';
}

/** The pending bytes are gone (storage was cleared): nothing can bring them back. */
export class MissingBytesError extends Error {
  override readonly name = 'MissingBytesError';
}

const listeners = new Map<string, ProgressFn>();

/** Progress reported by the offscreen document (a message through the router). */
export function offscreenProgress(uploadId: string, loaded: number, total: number): void {
  listeners.get(uploadId)?.(loaded, total);
}

export async function uploadPendingBytes(
  api: ApiClient,
  session: Session,
  image: BytesImage,
  onProgress: ProgressFn,
): Promise<Image> {
  if (!(await hasPending(image.blobKey))) {
    throw new MissingBytesError('The saved image is no longer stored on this device.');
  }
  const fields = { sourceUrl: image.sourceUrl, filename: uploadFilename(image.mime) };
  const url = `${api.baseUrl}/api/images`;

  if (typeof XMLHttpRequest === 'function') {
    const form = uploadForm(await readBlob(image.blobKey), fields);
    const answer = await xhrUpload({
      url,
      token: session.token,
      form,
      timeoutMs: UPLOAD_TIMEOUT_MS,
      onProgress,
    });
    return readUploadAnswer(answer.status, answer.body, api.baseUrl);
  }
  if (hasOffscreen()) {
    const answer = await viaOffscreen(
      {
        target: 'offscreen',
        type: 'upload',
        uploadId: crypto.randomUUID(),
        url,
        token: session.token,
        blobKey: image.blobKey,
        mime: image.mime,
        sourceUrl: image.sourceUrl,
        filename: fields.filename,
        timeoutMs: UPLOAD_TIMEOUT_MS,
      },
      onProgress,
    );
    return readUploadAnswer(answer.status, answer.body, api.baseUrl);
  }
  onProgress(0, image.size);
  const { image: uploaded } = await api.uploadImage(await readBlob(image.blobKey), fields);
  onProgress(image.size, image.size);
  return uploaded;
}

async function readBlob(key: string): Promise<Blob> {
  const stored = await getPending(key);
  if (!stored) throw new MissingBytesError('The saved image is no longer stored on this device.');
  return new Blob([stored.data], { type: stored.mime });
}

const OFFSCREEN_PATH = '/offscreen.html';

const hasOffscreen = () =>
  typeof (browser as { offscreen?: { createDocument?: unknown } }).offscreen?.createDocument === 'function';
let creating: Promise<void> | null = null;

async function ensureOffscreen(): Promise<void> {
  const url = browser.runtime.getURL(OFFSCREEN_PATH);
  const open = await browser.runtime.getContexts({
    contextTypes: ['OFFSCREEN_DOCUMENT' as Browser.runtime.ContextType],
    documentUrls: [url],
  });
  if (open.length > 0) return;
  creating ??= browser.offscreen
    .createDocument({
      url: OFFSCREEN_PATH,
      reasons: ['BLOBS' as Browser.offscreen.Reason],
      justification: 'Uploads saved images with XMLHttpRequest to show upload progress.',
    })
    .finally(() => {
      creating = null;
    });
  await creating;
}

async function viaOffscreen(
  request: OffscreenUpload,
  onProgress: ProgressFn,
): Promise<{ status: number; body: string }> {
  await ensureOffscreen();
  listeners.set(request.uploadId, onProgress);
  try {
    const answer = (await browser.runtime.sendMessage(request)) as
      { status?: unknown; body?: unknown } | undefined;
    if (typeof answer?.status === 'number' && typeof answer.body === 'string') {
      return { status: answer.status, body: answer.body };
    }
    throw new ApiError(
      'unreachable',
      0,
      'upload_interrupted',
      'The upload was interrupted. It will be tried again.',
    );
  } finally {
    listeners.delete(request.uploadId);
    // A renderer kept open for nothing costs memory; the next upload opens it again.
    if (listeners.size === 0) await browser.offscreen.closeDocument().catch(() => undefined);
  }
}
