import type { Harness } from './harness';

/** POSTs `bytes` as the multipart field `file` (plus any text fields), as the extension does. */
export function uploader(h: Harness) {
  return (
    token: string,
    bytes: Buffer,
    options: { name?: string; type?: string; fields?: Record<string, string> } = {},
  ) => {
    const form = new FormData();
    form.append(
      'file',
      new Blob([new Uint8Array(bytes)], { type: options.type ?? 'application/octet-stream' }),
      options.name ?? 'upload.bin',
    );
    for (const [key, value] of Object.entries(options.fields ?? {})) form.append(key, value);
    return h.call('POST', '/api/images', { token, body: form });
  };
}
