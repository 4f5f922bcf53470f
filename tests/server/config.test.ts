import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';

describe('configuration', () => {
  it('defaults to SQLite under ./data on 127.0.0.1:8787', () => {
    expect(loadConfig({})).toEqual({
      port: 8787,
      host: '127.0.0.1',
      dataDir: './data',
      database: { kind: 'sqlite', file: 'data/remindme.sqlite' },
      logLevel: 'info',
      trustProxy: false,
      publicUrl: null,
      images: {
        store: { kind: 'local', dir: 'data/images' },
        tempDir: 'data/tmp',
        urlSecret: null,
        secretFile: 'data/image-url.key',
      },
    });
  });

  it('uses MySQL when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'mysql://u:p@db:3306/remindme', DATABASE_POOL_SIZE: '4' });
    expect(config.database).toEqual({ kind: 'mysql', url: 'mysql://u:p@db:3306/remindme', poolSize: 4 });
  });

  it('names every bad setting at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'postgres://x/y', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^PORT must be a port number/m);
    expect(problems).toMatch(/^DATABASE_URL must start with mysql:\/\//m);
    expect(problems).toMatch(/^LOG_LEVEL must be one of/m);
  });

  it('does not echo a database password in its error', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:s3cret@db:3306' })).toThrow(ConfigError);
    try {
      loadConfig({ DATABASE_URL: 'mysql://user:s3cret@db:3306' });
    } catch (e) {
      expect((e as Error).message).not.toContain('s3cret');
    }
  });
});
