import { join } from 'node:path';
import * as v from 'valibot';

/**
 * Settings come from the environment, are parsed once at start-up, and are then passed in
 * (never read at import time). A bad or missing setting stops start-up with every problem
 * named, rather than a server that fails on its first request.
 */
const port = v.pipe(
  v.string(),
  v.regex(/^\d{1,5}$/, 'must be a port number (1–65535)'),
  v.transform(Number),
  v.minValue(0, 'must be a port number (1–65535)'),
  v.maxValue(65_535, 'must be a port number (1–65535)'),
);

const mysqlUrl = v.pipe(
  v.string(),
  v.url('must be a URL such as mysql://user:password@host:3306/remindme'),
  v.startsWith('mysql://', 'must start with mysql:// (leave it unset to use the embedded SQLite file)'),
  v.check(
    (url) => new URL(url).pathname.length > 1,
    'must name a database, e.g. mysql://user:password@host:3306/remindme',
  ),
);

const parsedUrl = (value: string): URL | null => {
  try {
    return new URL(value);
  } catch {
    return null;
  }
};

const httpUrl = (example: string) =>
  v.pipe(
    v.string(),
    v.check(
      (url) => /^https?:$/.test(parsedUrl(url)?.protocol ?? ''),
      `must be a URL starting with https:// (or http://), e.g. ${example}`,
    ),
    v.check((url) => !parsedUrl(url)?.search && !parsedUrl(url)?.hash, 'must not have a query or fragment'),
    v.transform((url) => url.replace(/\/+$/, '')),
  );

const keyWithPrefix = (prefix: string) =>
  v.pipe(
    v.string(),
    v.startsWith(
      prefix,
      `must be the key that starts with "${prefix}" (ImageKit dashboard → Developer options)`,
    ),
  );

const logLevel = v.picklist(
  ['debug', 'info', 'warn', 'error', 'silent'],
  'must be one of debug, info, warn, error, silent',
);

export const EnvSchema = v.object({
  PORT: v.optional(port, '8787'),
  HOST: v.optional(v.pipe(v.string(), v.nonEmpty('must not be empty')), '127.0.0.1'),
  DATA_DIR: v.optional(v.pipe(v.string(), v.nonEmpty('must not be empty')), './data'),
  DATABASE_URL: v.optional(mysqlUrl),
  DATABASE_POOL_SIZE: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, 'must be a whole number'),
      v.transform(Number),
      v.minValue(1, 'must be at least 1'),
    ),
    '10',
  ),
  LOG_LEVEL: v.optional(logLevel, 'info'),
  TRUST_PROXY: v.optional(
    v.pipe(
      v.picklist(['true', 'false'], 'must be true or false'),
      v.transform((x) => x === 'true'),
    ),
    'false',
  ),
  PUBLIC_URL: v.optional(httpUrl('https://remindme.example.org')),
  IMAGE_URL_SECRET: v.optional(
    v.pipe(v.string(), v.minLength(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)')),
  ),
  IMAGEKIT_PRIVATE_KEY: v.optional(keyWithPrefix('private_')),
  IMAGEKIT_PUBLIC_KEY: v.optional(keyWithPrefix('public_')),
  IMAGEKIT_URL_ENDPOINT: v.optional(httpUrl('https://ik.imagekit.io/your_imagekit_id')),
  IMAGEKIT_BASE_URL: v.optional(httpUrl('https://api.imagekit.io')),
});

const IMAGEKIT_KEYS = ['IMAGEKIT_PRIVATE_KEY', 'IMAGEKIT_PUBLIC_KEY', 'IMAGEKIT_URL_ENDPOINT'] as const;

/** Settings whose values must never be repeated in an error message or log. */
const SECRET_KEYS = new Set(['IMAGE_URL_SECRET', 'IMAGEKIT_PRIVATE_KEY']);

export type ImageStoreConfig =
  | { kind: 'local'; dir: string }
  | { kind: 'imagekit'; privateKey: string; publicKey: string; urlEndpoint: string; baseUrl: string | null };

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'mysql'; url: string; poolSize: number };
  logLevel: v.InferOutput<typeof logLevel>;
  /** Behind a reverse proxy that appends the client's address to X-Forwarded-For. */
  trustProxy: boolean;
  /** Base of the absolute URLs the server hands out; null: the origin each request came to. */
  publicUrl: string | null;
  images: {
    store: ImageStoreConfig;
    /** Upload scratch space (same disk as the data, never a RAM-backed /tmp). */
    tempDir: string;
    /** Signs local image URLs; null: generated once into `secretFile`. */
    urlSecret: string | null;
    secretFile: string;
  };
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  // Empty strings count as unset, as in most .env tooling.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = v.safeParse(EnvSchema, present);
  const problems = result.success
    ? []
    : result.issues.map((issue) => {
        const key = v.getDotPath(issue) ?? 'environment';
        const got = SECRET_KEYS.has(key) ? '' : ` (got ${JSON.stringify(redact(String(issue.input)))})`;
        return `${key} ${issue.message}${got}`;
      });
  // ImageKit is all or nothing: a partial set is a mistake, not a request for local storage.
  const imagekitSet = IMAGEKIT_KEYS.filter((key) => key in present);
  if (imagekitSet.length > 0 && imagekitSet.length < IMAGEKIT_KEYS.length) {
    for (const key of IMAGEKIT_KEYS.filter((k) => !(k in present))) {
      problems.push(
        `${key} is required when ${imagekitSet.join(' and ')} ${imagekitSet.length > 1 ? 'are' : 'is'} set (set all of ${IMAGEKIT_KEYS.join(', ')}, or none to store images on local disk)`,
      );
    }
  }
  if (!result.success || problems.length) throw new ConfigError(problems);
  const out = result.output;
  const dataDir = out.DATA_DIR;
  const imagekit =
    out.IMAGEKIT_PRIVATE_KEY && out.IMAGEKIT_PUBLIC_KEY && out.IMAGEKIT_URL_ENDPOINT
      ? {
          kind: 'imagekit' as const,
          privateKey: out.IMAGEKIT_PRIVATE_KEY,
          publicKey: out.IMAGEKIT_PUBLIC_KEY,
          urlEndpoint: out.IMAGEKIT_URL_ENDPOINT,
          baseUrl: out.IMAGEKIT_BASE_URL ?? null,
        }
      : null;
  return {
    port: out.PORT,
    host: out.HOST,
    dataDir,
    database: out.DATABASE_URL
      ? { kind: 'mysql', url: out.DATABASE_URL, poolSize: out.DATABASE_POOL_SIZE }
      : { kind: 'sqlite', file: join(dataDir, 'remindme.sqlite') },
    logLevel: out.LOG_LEVEL,
    trustProxy: out.TRUST_PROXY,
    publicUrl: out.PUBLIC_URL ?? null,
    images: {
      store: imagekit ?? { kind: 'local', dir: join(dataDir, 'images') },
      tempDir: join(dataDir, 'tmp'),
      urlSecret: out.IMAGE_URL_SECRET ?? null,
      secretFile: join(dataDir, 'image-url.key'),
    },
  };
}

/** Error messages end up in terminals and logs: never repeat a password from a URL. */
function redact(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}
