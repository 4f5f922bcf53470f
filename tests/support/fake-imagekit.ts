import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import busboy from 'busboy';
import sharp from 'sharp';

/**
 * A stand-in for ImageKit on loopback, speaking real HTTP and following ImageKit's documented
 * contract closely enough that the real SDK (`@imagekit/nodejs`, pointed here with `baseURL`)
 * cannot tell the difference:
 * - upload: `POST /api/v1/files/upload`, multipart fields `file` (binary or base64), `fileName`,
 *   `folder`, `isPrivateFile`, `useUniqueFileName`, `tags`; HTTP Basic auth with the private key
 *   as user name (the password is ignored); answers `{fileId, name, filePath, url, width, height,
 *   size, fileType, isPrivateFile, …}`; errors are `{message, help}` with 400/401/404;
 * - management: `GET /v1/files` (list), `GET /v1/files/:id/details`, `DELETE /v1/files/:id` (204);
 * - delivery at the URL endpoint (`/<id>/<filePath>`), with transformations in `?tr=` or a
 *   `tr:` path segment (`w-`, `h-`, `q-`, `f-auto|webp|jpg|png|avif`), and signed URLs:
 *   `ik-s` = hex HMAC-SHA1(private key, URL after the endpoint without ik-s/ik-t + `ik-t` or
 *   9999999999), `ik-t` = expiry in Unix seconds. Private files are served only when signed.
 * Every request is recorded, so tests can assert what reached "ImageKit" (or that nothing did).
 */

export type FakeFile = {
  fileId: string;
  name: string;
  filePath: string;
  bytes: Buffer;
  mime: string;
  width?: number;
  height?: number;
  isPrivateFile: boolean;
  createdAt: string;
};

export type FakeImageKit = {
  apiUrl: string;
  urlEndpoint: string;
  privateKey: string;
  publicKey: string;
  /** The settings that point the server at this fake. */
  env: Record<string, string>;
  files: Map<string, FakeFile>;
  requests: { method: string; path: string; status: number; bytes: number }[];
  close(): Promise<void>;
};

const HELP = 'For support kindly contact us at support@imagekit.io .';
const MAX_UPLOAD = 25 * 1000 * 1000;
const NO_EXPIRY = '9999999999';

export async function startFakeImageKit(): Promise<FakeImageKit> {
  const privateKey = `private_${randomBytes(18).toString('base64url')}=`;
  const publicKey = `public_${randomBytes(18).toString('base64url')}=`;
  const files = new Map<string, FakeFile>();
  const requests: FakeImageKit['requests'] = [];
  const endpointPath = '/fake_id';
  let origin = '';

  const send = (res: ServerResponse, status: number, body?: unknown) => {
    if (body === undefined) return void res.writeHead(status).end();
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const problem = (res: ServerResponse, status: number, message: string) =>
    send(res, status, { message, help: HELP });

  const authorised = (req: IncomingMessage) => {
    const match = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    const user = match?.[1] ? Buffer.from(match[1], 'base64').toString().split(':')[0] : undefined;
    return user === privateKey;
  };

  const details = (f: FakeFile) => ({
    type: 'file',
    fileId: f.fileId,
    name: f.name,
    filePath: f.filePath,
    url: `${origin}${endpointPath}${f.filePath}`,
    thumbnail: `${origin}${endpointPath}/tr:n-ik_ml_thumbnail${f.filePath}`,
    fileType: f.width ? 'image' : 'non-image',
    mime: f.mime,
    width: f.width,
    height: f.height,
    size: f.bytes.length,
    isPrivateFile: f.isPrivateFile,
    tags: null,
    customCoordinates: null,
    createdAt: f.createdAt,
    updatedAt: f.createdAt,
  });

  async function upload(req: IncomingMessage, res: ServerResponse) {
    const fields: Record<string, string> = {};
    let file: Buffer | undefined;
    let tooLarge = false;
    try {
      await new Promise<void>((resolve, reject) => {
        const parser = busboy({ headers: req.headers, limits: { fileSize: MAX_UPLOAD } });
        parser.on('file', (name, stream) => {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('limit', () => (tooLarge = true));
          stream.on('end', () => {
            if (name === 'file') file = Buffer.concat(chunks);
          });
        });
        parser.on('field', (name, value) => (fields[name] = value));
        parser.on('close', resolve);
        parser.on('error', reject);
        req.pipe(parser);
      });
    } catch {
      return problem(res, 400, 'Your request could not be parsed as multipart/form-data.');
    }
    if (!authorised(req)) return problem(res, 401, 'Your account cannot be authenticated.');
    if (!file && fields.file) file = Buffer.from(fields.file, 'base64');
    if (!file) return problem(res, 400, 'Missing file parameter for upload');
    if (tooLarge) return problem(res, 400, 'File size exceeds the maximum allowed limit of 25 MB.');
    const fileName = fields.fileName;
    if (!fileName) return problem(res, 400, 'Missing fileName parameter for upload');
    if (!/^[\p{L}\p{M}\p{N}._-]+$/u.test(fileName))
      return problem(res, 400, 'Your request contains invalid fileName parameter.');
    const folder = `/${(fields.folder ?? '/').replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, '');
    if (!/^[\p{L}\p{M}\p{N}/_-]*$/u.test(folder))
      return problem(res, 400, 'Your request contains invalid folder parameter.');
    let name = fileName;
    if (fields.useUniqueFileName !== 'false') {
      const dot = fileName.lastIndexOf('.');
      const suffix = `_${randomBytes(5).toString('hex')}`;
      name = dot > 0 ? `${fileName.slice(0, dot)}${suffix}${fileName.slice(dot)}` : `${fileName}${suffix}`;
    }
    const meta = await sharp(file)
      .metadata()
      .catch(() => undefined);
    const entry: FakeFile = {
      fileId: randomBytes(12).toString('hex'),
      name,
      filePath: `${folder}/${name}`,
      bytes: file,
      mime: meta?.format
        ? `image/${meta.format === 'heif' ? 'avif' : meta.format}`
        : 'application/octet-stream',
      width: meta?.width,
      height: meta ? (meta.pageHeight ?? meta.height) : undefined,
      isPrivateFile: fields.isPrivateFile === 'true',
      createdAt: new Date().toISOString(),
    };
    for (const [id, f] of files) if (f.filePath === entry.filePath) files.delete(id); // overwriteFile defaults to true
    files.set(entry.fileId, entry);
    const { type: _type, thumbnail, createdAt: _c, updatedAt: _u, ...rest } = details(entry);
    send(res, 200, {
      ...rest,
      thumbnailUrl: thumbnail,
      versionInfo: { id: entry.fileId, name: 'Version 1' },
      AITags: null,
    });
  }

  function api(req: IncomingMessage, res: ServerResponse, path: string) {
    if (!authorised(req)) return problem(res, 401, 'Your account cannot be authenticated.');
    const one = /^\/v1\/files\/([^/]+)(\/details)?$/.exec(path);
    if (req.method === 'GET' && path === '/v1/files') return send(res, 200, [...files.values()].map(details));
    if (one?.[1]) {
      const found = files.get(one[1]);
      if (req.method === 'GET' && one[2])
        return found
          ? send(res, 200, details(found))
          : problem(res, 404, 'The requested file does not exist.');
      if (req.method === 'DELETE' && !one[2]) {
        if (!found) return problem(res, 404, 'The requested file does not exist.');
        files.delete(one[1]);
        return send(res, 204);
      }
    }
    problem(res, 404, 'Not found.');
  }

  async function deliver(req: IncomingMessage, res: ServerResponse, rawUrl: string) {
    const [rawPath = '', rawQuery = ''] = rawUrl.split(/\?(.*)/s);
    const params = rawQuery ? rawQuery.split('&') : [];
    const value = (name: string) => params.find((p) => p.startsWith(`${name}=`))?.slice(name.length + 1);
    const rest = params.filter((p) => !p.startsWith('ik-s=') && !p.startsWith('ik-t=')).join('&');
    let path = decodeURIComponent(rawPath.slice(endpointPath.length));
    let transforms = value('tr') ? decodeURIComponent(value('tr') ?? '') : '';
    const segment = /^\/tr:([^/]+)(\/.*)$/.exec(path);
    if (segment?.[1] && segment[2]) {
      transforms = [segment[1], transforms].filter(Boolean).join(',');
      path = segment[2];
    }
    const file = [...files.values()].find((f) => f.filePath === path);
    const signature = value('ik-s');
    if (signature) {
      const expiry = value('ik-t') ?? NO_EXPIRY;
      const signed = `${rawPath.slice(endpointPath.length + 1)}${rest ? `?${rest}` : ''}${expiry}`;
      const expected = createHmac('sha1', privateKey).update(signed).digest('hex');
      const ok =
        signature.length === expected.length &&
        timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
      if (!ok) return problem(res, 401, 'The signature in the URL is not valid.');
      if (Number(expiry) * 1000 < Date.now()) return problem(res, 401, 'The URL has expired.');
    } else if (file?.isPrivateFile) {
      return problem(res, 401, 'This is a private file: a signed URL is required.');
    }
    if (!file) return problem(res, 404, 'The requested resource does not exist.');
    const out = await transform(file, transforms, req.headers.accept ?? '');
    res.writeHead(200, { 'content-type': out.mime, 'content-length': out.bytes.length }).end(out.bytes);
  }

  const server = createServer((req, res) => {
    const rawUrl = req.url ?? '/';
    const path = rawUrl.split('?')[0] ?? '/';
    let bytes = 0;
    req.on('data', (c: Buffer) => (bytes += c.length));
    res.on('finish', () => requests.push({ method: req.method ?? '', path, status: res.statusCode, bytes }));
    const handle = async () => {
      if (req.method === 'POST' && path === '/api/v1/files/upload') return upload(req, res);
      if (path.startsWith('/v1/')) return api(req, res, path);
      if ((req.method === 'GET' || req.method === 'HEAD') && path.startsWith(`${endpointPath}/`))
        return deliver(req, res, rawUrl);
      problem(res, 404, 'Not found.');
    };
    handle().catch(() => problem(res, 500, 'Internal error.'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: origin,
    urlEndpoint: `${origin}${endpointPath}`,
    privateKey,
    publicKey,
    env: {
      IMAGEKIT_PRIVATE_KEY: privateKey,
      IMAGEKIT_PUBLIC_KEY: publicKey,
      IMAGEKIT_URL_ENDPOINT: `${origin}${endpointPath}`,
      IMAGEKIT_BASE_URL: origin,
    },
    files,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Applies `w-`, `h-`, `q-` and `f-` the way ImageKit does (never enlarging). */
async function transform(
  file: FakeFile,
  transforms: string,
  accept: string,
): Promise<{ bytes: Buffer; mime: string }> {
  if (!transforms) return { bytes: file.bytes, mime: file.mime };
  const options = Object.fromEntries(
    transforms.split(',').map((t) => [t.slice(0, t.indexOf('-')), t.slice(t.indexOf('-') + 1)]),
  );
  let image = sharp(file.bytes, { animated: true });
  if (options.w || options.h) {
    image = image.resize({
      width: Number(options.w) || undefined,
      height: Number(options.h) || undefined,
      withoutEnlargement: true,
    });
  }
  const quality = Number(options.q) || 80;
  const original = file.mime.replace('image/', '');
  const format =
    options.f === 'auto'
      ? /image\/avif/.test(accept)
        ? 'avif'
        : /image\/webp/.test(accept)
          ? 'webp'
          : original
      : (options.f ?? original);
  switch (format === 'jpg' ? 'jpeg' : format) {
    case 'webp':
      return { bytes: await image.webp({ quality }).toBuffer(), mime: 'image/webp' };
    case 'avif':
      return { bytes: await image.avif({ quality, effort: 2 }).toBuffer(), mime: 'image/avif' };
    case 'png':
      return { bytes: await image.png().toBuffer(), mime: 'image/png' };
    case 'gif':
      return { bytes: await image.gif().toBuffer(), mime: 'image/gif' };
    default:
      return { bytes: await image.jpeg({ quality }).toBuffer(), mime: 'image/jpeg' };
  }
}
