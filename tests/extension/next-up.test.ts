import { beforeEach, describe, expect, it } from 'vitest';
import type { Reminder } from '../../shared/schemas/reminders';
import { markShown, pickNext, recomputeNextUp, takeNext } from '../../extension/utils/next-up';
import {
  mirrorItem,
  nextUpItem,
  outboxItem,
  sessionItem,
  type ShownReminder,
} from '../../extension/utils/storage';
import { freshBrowser } from '../support/extension-harness';

const shown = (id: string): ShownReminder => ({
  id,
  text: `text ${id}`,
  author: null,
  sourceUrl: null,
  sourceTitle: null,
  pending: false,
});

const SERVER = 'http://127.0.0.1:9';
const owner = { serverUrl: SERVER, userId: 'u1', email: 'me@example.test' };

function reminder(id: string, overrides: Partial<Reminder> = {}): Reminder {
  return {
    id,
    text: `text ${id}`,
    note: null,
    author: null,
    sourceUrl: null,
    sourceTitle: null,
    visibility: 'private',
    favorite: false,
    imageId: null,
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    deletedAt: null,
    ...overrides,
  };
}

async function signIn() {
  await sessionItem.setValue({
    token: 't',
    user: { id: owner.userId, email: owner.email, createdAt: '2026-01-01T00:00:00.000Z' },
    expiresAt: '2099-01-01T00:00:00.000Z',
    serverUrl: SERVER,
  });
}

describe('pickNext', () => {
  it('returns nothing from an empty pool', () => {
    expect(pickNext([], [])).toBeNull();
    expect(pickNext([], ['a', 'b'])).toBeNull();
  });

  it('never repeats the reminder just shown when there is another', () => {
    const pool = ['a', 'b', 'c'].map(shown);
    const recent: string[] = [];
    let previous: string | null = null;
    for (let i = 0; i < 300; i++) {
      const next = pickNext(pool, recent);
      expect(next).not.toBeNull();
      expect(next?.id).not.toBe(previous);
      previous = next?.id ?? null;
      recent.push(previous ?? '');
    }
  });

  it('alternates between two and keeps showing a single one', () => {
    const two = ['a', 'b'].map(shown);
    expect(pickNext(two, ['a'], () => 0)?.id).toBe('b');
    expect(pickNext(two, ['a', 'b'], () => 0.99)?.id).toBe('a');
    expect(pickNext([shown('only')], ['only'])?.id).toBe('only');
  });

  it('avoids the recent half of a larger collection and still reaches every reminder', () => {
    const pool = Array.from({ length: 10 }, (_, i) => shown(String(i)));
    const recent = ['0', '1', '2', '3', '4'];
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const id = pickNext(pool, recent)?.id ?? '';
      expect(recent).not.toContain(id);
      seen.add(id);
    }
    expect([...seen].sort()).toEqual(['5', '6', '7', '8', '9']);
  });
});

describe('the precomputed next-up record', () => {
  beforeEach(() => {
    freshBrowser();
  });

  it('says signed out when nobody is signed in', async () => {
    expect(await recomputeNextUp()).toEqual({ status: 'signed-out' });
    expect(await nextUpItem.getValue()).toEqual({ status: 'signed-out' });
  });

  it('is empty for a signed-in person with no reminders', async () => {
    await signIn();
    expect(await recomputeNextUp()).toEqual({ status: 'empty', synced: false });
  });

  it('includes saves still waiting in the outbox', async () => {
    await signIn();
    await outboxItem.setValue([
      {
        kind: 'create',
        id: 'p1',
        owner,
        input: { id: 'p1', text: 'offline save' },
        createdAt: '2026-01-01T00:00:00.000Z',
        status: 'pending',
        attempts: 1,
        nextAttemptAt: 0,
        lastError: null,
      },
    ]);
    const next = await recomputeNextUp();
    expect(next).toMatchObject({
      status: 'ready',
      reminder: { id: 'p1', text: 'offline save', pending: true },
    });
  });

  it('ignores another account’s mirror', async () => {
    await signIn();
    await mirrorItem.setValue({
      owner: { ...owner, userId: 'someone-else' },
      cursor: '5',
      reminders: { x: reminder('x') },
    });
    expect((await recomputeNextUp()).status).toBe('empty');
  });

  it('prepares a different reminder after one is shown, and "another one" never repeats', async () => {
    await signIn();
    await mirrorItem.setValue({
      owner,
      cursor: '3',
      reminders: {
        a: reminder('a'),
        b: reminder('b'),
        c: reminder('c', { deletedAt: '2026-01-02T00:00:00.000Z' }),
      },
    });
    let next = await recomputeNextUp();
    for (let i = 0; i < 30; i++) {
      if (next.status !== 'ready') throw new Error('expected a reminder');
      const current = next.reminder.id;
      expect(current).not.toBe('c');
      next = await markShown(current);
      expect(next.status === 'ready' && next.reminder.id).not.toBe(current);
    }
    let current: string | null = null;
    for (let i = 0; i < 30; i++) {
      const taken = await takeNext(current);
      if (taken.status !== 'ready') throw new Error('expected a reminder');
      expect(taken.reminder.id).not.toBe(current);
      current = taken.reminder.id;
    }
  });
});
