import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import type { UserRow } from '../../server/auth/repo';
import { createRepos, type Repos } from '../../server/db/repos';
import type { NewReminder } from '../../server/reminders/repo';
import { freshDatabase, type Dialect } from '../support/databases';

/**
 * What the repository conformance suites share: a fresh database of the dialect for the
 * file, and makers of users and reminders (tests own their data). `repos` is filled in
 * `beforeAll`.
 */
export function useRepos(dialect: Dialect, t0: Date) {
  const fixture = {
    repos: undefined as unknown as Repos,
    async user(): Promise<UserRow> {
      const row: UserRow = {
        id: randomUUID(),
        email: `${randomUUID()}@example.org`,
        passwordHash: 'x',
        changeSeq: 0,
        createdAt: t0,
        handle: null,
      };
      await fixture.repos.auth.createUser(row);
      return row;
    },
    reminder: (userId: string, over: Partial<NewReminder> = {}): NewReminder => ({
      id: randomUUID(),
      userId,
      text: 'text',
      note: null,
      author: null,
      sourceUrl: null,
      sourceTitle: null,
      visibility: 'private',
      favorite: false,
      imageId: null,
      createdAt: t0,
      ...over,
    }),
  };
  let drop: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    const fresh = await freshDatabase(dialect);
    fixture.repos = createRepos(fresh.database);
    drop = fresh.drop;
  });
  afterAll(() => drop());
  return fixture;
}
