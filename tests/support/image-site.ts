import { createReadStream, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { fixture } from './image-fixtures';

/**
 * Two loopback "sites" for saving images from a real page in Chromium:
 * - the gallery, whose page shows a plain photo, two `data:` images (base64 PNG and a
 *   URL-encoded SVG), `blob:` images made by the page's script (one kept, one revoked after
 *   it loaded, one revoked before it could load) and a members-only photo that is served
 *   only with the member cookie and a referrer from the gallery (hotlink protection);
 * - another site, whose photo the gallery embeds (no CORS: the page cannot read it).
 * Every request is recorded with its headers.
 */

export const PHOTO_DIR = '/usr/share/backgrounds/mate/nature';
export const MEMBER_COOKIE = { name: 'member', value: 'yes' };

export interface ImageSite {
  url: string;
  otherUrl: string;
  requests: Array<{ site: 'gallery' | 'other'; path: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );

function galleryPage(otherUrl: string): string {
  const pixel = readFileSync(fixture('pixel-1x1.png.dataurl'), 'utf8').trim();
  const icon = readFileSync(fixture('icon.svg.dataurl'), 'utf8').trim();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A loopback gallery</title>
<style>img { width: 160px; height: 100px; object-fit: cover; margin: 4px; background: #ddd; }</style></head>
<body>
<h1>Gallery</h1>
<img id="photo" src="/photos/Garden.jpg" alt="A garden in bloom">
<img id="pixel" src="${pixel}" alt="One pixel">
<img id="icon" src="${icon.replace(/"/g, '&quot;')}" alt="An icon">
<img id="blob" alt="Made by the page">
<img id="blob-released" alt="Released after loading">
<img id="revoked" alt="Released too early">
<img id="members" src="/members/Storm.jpg" alt="For members only">
<img id="elsewhere" src="${otherUrl}/photos/GreenMeadow.jpg" alt="From another site">
<script>
  const made = async (id, file, revoke) => {
    const blob = await (await fetch('/photos/' + file)).blob();
    const url = URL.createObjectURL(blob);
    const img = document.getElementById(id);
    if (revoke === 'before') URL.revokeObjectURL(url);
    await new Promise((resolve) => { img.onload = resolve; img.onerror = resolve; img.src = url; });
    if (revoke === 'after') URL.revokeObjectURL(url);
    img.dataset.ready = 'yes';
  };
  Promise.all([made('blob', 'Aqua.jpg'), made('blob-released', 'LadyBird.jpg', 'after'), made('revoked', 'Dune.jpg', 'before')])
    .then(() => { document.body.dataset.ready = 'yes'; });
</script>
</body></html>`;
}

async function sendPhoto(
  res: import('node:http').ServerResponse,
  name: string,
  headers: Record<string, string> = {},
) {
  const file = join(PHOTO_DIR, basename(name));
  try {
    const info = await stat(file);
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': info.size, ...headers });
    createReadStream(file).pipe(res);
  } catch {
    res.writeHead(404).end('not found');
  }
}

export async function startImageSite(): Promise<ImageSite> {
  const requests: ImageSite['requests'] = [];
  let galleryUrl = '';
  let otherUrl = '';

  const gallery = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ site: 'gallery', path, headers: req.headers });
    if (path === '/gallery.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(galleryPage(otherUrl));
    } else if (path.startsWith('/photos/')) {
      void sendPhoto(res, path);
    } else if (path.startsWith('/members/')) {
      const member = (req.headers.cookie ?? '').includes(`${MEMBER_COOKIE.name}=${MEMBER_COOKIE.value}`);
      const fromGallery = (req.headers.referer ?? '').startsWith(`${galleryUrl}/`);
      if (!member || !fromGallery) {
        res.writeHead(403, { 'content-type': 'text/plain' }).end('members only');
        return;
      }
      // Never cached, so every read really goes to the network with cookie and referrer.
      void sendPhoto(res, path, { 'cache-control': 'no-store' });
    } else {
      res.writeHead(404).end('not found');
    }
  });
  const other = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ site: 'other', path, headers: req.headers });
    if (path.startsWith('/photos/')) void sendPhoto(res, path);
    else res.writeHead(404).end('not found');
  });
  galleryUrl = await listen(gallery);
  otherUrl = await listen(other);
  const close = (server: Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    url: galleryUrl,
    otherUrl,
    requests,
    close: async () => {
      await Promise.all([close(gallery), close(other)]);
    },
  };
}
