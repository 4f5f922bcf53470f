import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../server/check';
import { ConfigError, loadConfig } from '../../server/config';
import { loadOrCreateSecret } from '../../server/images/signing';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

const IMAGEKIT = {
  // Made-up keys in ImageKit's shape (not real ones).
  IMAGEKIT_PRIVATE_KEY: 'private_not-a-real-key',
  IMAGEKIT_PUBLIC_KEY: 'public_not-a-real-key',
  IMAGEKIT_URL_ENDPOINT: 'https://ik.imagekit.io/remindme/',
};

describe('image settings', () => {
  it('stores images on local disk under DATA_DIR by default, with URLs on the request origin', () => {
    const config = loadConfig({ DATA_DIR: '/srv/remindme' });
    expect(config.publicUrl).toBeNull();
    expect(config.images).toEqual({
      store: { kind: 'local', dir: '/srv/remindme/images' },
      tempDir: '/srv/remindme/tmp',
      urlSecret: null,
      secretFile: '/srv/remindme/image-url.key',
    });
  });

  it('uses ImageKit when all three keys are set', () => {
    expect(loadConfig(IMAGEKIT).images.store).toEqual({
      kind: 'imagekit',
      privateKey: IMAGEKIT.IMAGEKIT_PRIVATE_KEY,
      publicKey: IMAGEKIT.IMAGEKIT_PUBLIC_KEY,
      urlEndpoint: 'https://ik.imagekit.io/remindme',
      baseUrl: null,
    });
  });

  it('names each missing ImageKit key when only some are set', () => {
    const problems = problemsOf({ IMAGEKIT_PRIVATE_KEY: IMAGEKIT.IMAGEKIT_PRIVATE_KEY });
    expect(problems).toEqual([
      expect.stringMatching(/^IMAGEKIT_PUBLIC_KEY is required when IMAGEKIT_PRIVATE_KEY is set/),
      expect.stringMatching(/^IMAGEKIT_URL_ENDPOINT is required when IMAGEKIT_PRIVATE_KEY is set/),
    ]);
  });

  it('catches swapped keys without ever repeating the private key', () => {
    const swapped = {
      ...IMAGEKIT,
      IMAGEKIT_PRIVATE_KEY: 'public_oops=',
      IMAGEKIT_PUBLIC_KEY: 'private_s3cret=',
    };
    const problems = problemsOf(swapped).join('\n');
    expect(problems).toMatch(/^IMAGEKIT_PRIVATE_KEY must be the key that starts with "private_"/m);
    expect(problems).toMatch(/^IMAGEKIT_PUBLIC_KEY must be the key that starts with "public_"/m);
    expect(problems).not.toContain('public_oops');
    const short = problemsOf({ IMAGE_URL_SECRET: 'tooshort-s3cret' }).join('\n');
    expect(short).toMatch(/^IMAGE_URL_SECRET must be at least 32 characters/);
    expect(short).not.toContain('tooshort-s3cret');
  });

  it('checks PUBLIC_URL and the endpoint are http(s) URLs without a query', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://remindme.example.org/' }).publicUrl).toBe(
      'https://remindme.example.org',
    );
    expect(problemsOf({ PUBLIC_URL: 'remindme.example.org' })[0]).toMatch(
      /^PUBLIC_URL must be a URL starting with https:\/\//,
    );
    expect(problemsOf({ ...IMAGEKIT, IMAGEKIT_URL_ENDPOINT: 'https://ik.imagekit.io/x?y=1' })[0]).toMatch(
      /^IMAGEKIT_URL_ENDPOINT must not have a query/,
    );
  });

  it('generates the URL-signing secret once, private to its owner, and keeps it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'remindme-secret-'));
    const file = join(dir, 'image-url.key');
    const first = await loadOrCreateSecret(file);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateSecret(file)).toBe(first);
    const racing = await Promise.all([1, 2, 3].map(() => loadOrCreateSecret(join(dir, 'race.key'))));
    expect(new Set(racing).size).toBe(1);
    await rm(dir, { recursive: true, force: true });
  });

  it('checks image storage before serving', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'remindme-check-'));
    const { results } = await runChecks({ DATA_DIR: dir }, { expectMigrated: false });
    expect(results.find((r) => r.name === 'image storage')).toMatchObject({ ok: true });
    expect(results.find((r) => r.name === 'config')?.detail).toContain('images on local disk');
    await rm(dir, { recursive: true, force: true });
  });
});
