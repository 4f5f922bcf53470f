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
  v.check((url) => new URL(url).pathname.length > 1, 'must name a database, e.g. mysql://user:password@host:3306/remindme'),
);

const logLevel = v.picklist(['debug', 'info', 'warn', 'error', 'silent'], 'must be one of debug, info, warn, error, silent');

export const EnvSchema = v.object({
  PORT: v.optional(port, '8787'),
  HOST: v.optional(v.pipe(v.string(), v.nonEmpty('must not be empty')), '127.0.0.1'),
  DATA_DIR: v.optional(v.pipe(v.string(), v.nonEmpty('must not be empty')), './data'),
  DATABASE_URL: v.optional(mysqlUrl),
  DATABASE_POOL_SIZE: v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,3}$/, 'must be a whole number'), v.transform(Number), v.minValue(1, 'must be at least 1')),
    '10',
  ),
  LOG_LEVEL: v.optional(logLevel, 'info'),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'mysql'; url: string; poolSize: number };
  logLevel: v.InferOutput<typeof logLevel>;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  // Empty strings count as unset, as in most .env tooling.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = v.safeParse(EnvSchema, present);
  if (!result.success) {
    const problems = result.issues.map((issue) => {
      const key = v.getDotPath(issue) ?? 'environment';
      return `${key} ${issue.message} (got ${JSON.stringify(redact(String(issue.input)))})`;
    });
    throw new ConfigError(problems);
  }
  const out = result.output;
  const dataDir = out.DATA_DIR;
  return {
    port: out.PORT,
    host: out.HOST,
    dataDir,
    database: out.DATABASE_URL
      ? { kind: 'mysql', url: out.DATABASE_URL, poolSize: out.DATABASE_POOL_SIZE }
      : { kind: 'sqlite', file: join(dataDir, 'remindme.sqlite') },
    logLevel: out.LOG_LEVEL,
  };
}

/** Error messages end up in terminals and logs: never repeat a password from a URL. */
function redact(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}
