import { browser } from 'wxt/browser';
import { uploadForm } from './api';
import { getPending } from './image-db';
import { isOffscreenUpload, type OffscreenUpload } from './image-upload';
import { xhrUpload } from './xhr-upload';

/**
 * The offscreen document's one job: upload the bytes the background names, with
 * XMLHttpRequest, and report progress to the background as it goes. It answers only
 * requests from this extension addressed to it; every page's messages reach it too.
 */

const PROGRESS_EVERY_MS = 100;

async function upload(request: OffscreenUpload): Promise<{ status: number; body: string }> {
  const stored = await getPending(request.blobKey);
  if (!stored) return { status: 0, body: '' };
  const file = new Blob([stored.data], { type: stored.mime });
  let last = 0;
  return xhrUpload({
    url: request.url,
    token: request.token,
    timeoutMs: request.timeoutMs,
    form: uploadForm(file, { sourceUrl: request.sourceUrl, filename: request.filename }),
    onProgress: (loaded, total) => {
      const now = Date.now();
      if (loaded < total && now - last < PROGRESS_EVERY_MS) return;
      last = now;
      void browser.runtime
        .sendMessage({ type: 'uploadProgress', uploadId: request.uploadId, loaded, total })
        .catch(() => undefined);
    },
  });
}

export function startOffscreenUploads(): void {
  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (!isOffscreenUpload(message) || sender.id !== browser.runtime.id) return undefined;
    void upload(message).then(sendResponse, () => sendResponse({ status: 0, body: '' }));
    return true;
  });
}
