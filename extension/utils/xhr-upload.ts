/**
 * A multipart upload with XMLHttpRequest, the one browser API that reports upload progress
 * on any HTTP version: a streamed `fetch` body needs HTTP/2 in Chrome (a self-hosted server
 * is usually HTTP/1.1) and does not exist in Firefox. Service workers have no XHR, so in
 * Chrome this runs in the offscreen document; Firefox's background page runs it itself.
 */
export interface XhrUpload {
  url: string;
  token: string;
  form: FormData;
  timeoutMs: number;
  onProgress: (loaded: number, total: number) => void;
}

/** Resolves with the answer (status 0 when the network failed); never rejects. */
export function xhrUpload(upload: XhrUpload): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', upload.url);
    xhr.timeout = upload.timeoutMs;
    xhr.setRequestHeader('authorization', `Bearer ${upload.token}`);
    xhr.setRequestHeader('accept', 'application/json');
    // No cookies: the API authenticates by bearer token only.
    xhr.withCredentials = false;
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) upload.onProgress(event.loaded, event.total);
    };
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
    xhr.onerror = () => resolve({ status: 0, body: '' });
    xhr.ontimeout = () => resolve({ status: 0, body: '' });
    xhr.onabort = () => resolve({ status: 0, body: '' });
    xhr.send(upload.form);
  });
}
