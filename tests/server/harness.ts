import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../../server/app';
import type { Database } from '../../server/db/client';
import { createRepos, type Repos } from '../../server/db/repos';
import { silentLogger, type Logger } from '../../server/logger';
import { freshDatabase, type Dialect } from '../support/databases';
import { testImageDeps, type TestImageDeps } from '../support/image-deps';

export type Harness = {
  app: ReturnType<typeof createApp>;
  /** The app's image dependencies and their data directory. */
  images: TestImageDeps;
  database: Database;
  repos: Repos;
  /** Moves the app's clock; starts at the real time. */
  clock: { now: Date; advance(ms: number): void };
  call(method: string, path: string, init?: CallInit): Promise<CallResult>;
  signUp(email?: string): Promise<{ token: string; userId: string; email: string }>;
};

export type CallInit = { token?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> };
export type CallResult = { status: number; headers: Headers; body: any; text: string };

let counter = 0;
export const uniqueEmail = () => `person${Date.now().toString(36)}${(counter++).toString(36)}@example.org`;

/**
 * One migrated database and app per test file and dialect; tests create their own users.
 * Images are stored locally in a temporary directory unless `images` builds something else.
 */
export function useHarness(
  dialect: Dialect,
  options: { images?: () => Promise<TestImageDeps>; logger?: Logger } = {},
): Harness {
  const harness = {} as Harness;
  let drop: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    const fresh = await freshDatabase(dialect);
    const images = await (options.images ?? testImageDeps)();
    drop = async () => {
      await fresh.drop();
      await images.cleanup();
    };
    const clock = {
      now: new Date(),
      advance(ms: number) {
        clock.now = new Date(clock.now.getTime() + ms);
      },
    };
    const repos = createRepos(fresh.database);
    const app = createApp({
      database: fresh.database,
      repos,
      logger: options.logger ?? silentLogger,
      clock: () => clock.now,
      images: images.images,
    });
    Object.assign(harness, {
      app,
      images,
      database: fresh.database,
      repos,
      clock,
      async call(method: string, path: string, init: CallInit = {}) {
        const headers: Record<string, string> = { ...init.headers };
        if (init.token) headers.authorization = `Bearer ${init.token}`;
        let body = init.body;
        if (init.json !== undefined) {
          headers['content-type'] ??= 'application/json';
          body = JSON.stringify(init.json);
        }
        const res = await app.request(path, { method, headers, body });
        const text = await res.text();
        let parsed: unknown = null;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch {
          parsed = null;
        }
        return { status: res.status, headers: res.headers, body: parsed, text };
      },
      async signUp(email = uniqueEmail()) {
        const res = await harness.call('POST', '/api/auth/register', {
          json: { email, password: 'correct horse battery' },
        });
        if (res.status !== 201) throw new Error(`sign-up failed: ${res.text}`);
        return { token: res.body.token as string, userId: res.body.user.id as string, email };
      },
    } satisfies Harness);
  });

  afterAll(async () => {
    await drop();
  });

  return harness;
}
