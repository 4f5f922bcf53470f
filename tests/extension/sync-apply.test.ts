import { describe, expect, it } from 'vitest';
import type { Reminder } from '../../shared/schemas/reminders';
import { applyChanges } from '../../extension/utils/sync';

function reminder(id: string, version: number, overrides: Partial<Reminder> = {}): Reminder {
  return {
    id,
    text: `${id} v${version}`,
    note: null,
    author: null,
    sourceUrl: null,
    sourceTitle: null,
    visibility: 'private',
    favorite: false,
    imageId: null,
    version,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: `2026-01-01T00:00:0${version}.000Z`,
    deletedAt: null,
    ...overrides,
  };
}

describe('applyChanges', () => {
  it('adds new reminders and replaces older versions', () => {
    const { reminders, changed } = applyChanges({ a: reminder('a', 1) }, [
      reminder('a', 2),
      reminder('b', 1),
    ]);
    expect(reminders.a?.text).toBe('a v2');
    expect(reminders.b?.text).toBe('b v1');
    expect(changed).toBe(2);
  });

  it('never lets a lower version replace a higher one', () => {
    const { reminders, changed } = applyChanges({ a: reminder('a', 3) }, [reminder('a', 2)]);
    expect(reminders.a?.version).toBe(3);
    expect(changed).toBe(0);
  });

  it('removes a reminder when its tombstone arrives', () => {
    const tombstone = reminder('a', 2, { deletedAt: '2026-01-03T00:00:00.000Z' });
    const { reminders, changed } = applyChanges({ a: reminder('a', 1), b: reminder('b', 1) }, [tombstone]);
    expect(Object.keys(reminders)).toEqual(['b']);
    expect(changed).toBe(1);
  });

  it('ignores a stale tombstone for a reminder that was restored since', () => {
    const tombstone = reminder('a', 2, { deletedAt: '2026-01-03T00:00:00.000Z' });
    const { reminders } = applyChanges({ a: reminder('a', 3) }, [tombstone]);
    expect(reminders.a?.version).toBe(3);
  });

  it('applies a page in order: created, edited, deleted in one page leaves nothing', () => {
    const page = [
      reminder('a', 1),
      reminder('a', 2),
      reminder('a', 3, { deletedAt: '2026-01-03T00:00:00.000Z' }),
    ];
    expect(applyChanges({}, page).reminders).toEqual({});
  });

  it('does not modify the mirror it was given', () => {
    const before = { a: reminder('a', 1) };
    applyChanges(before, [reminder('a', 2, { deletedAt: '2026-01-03T00:00:00.000Z' })]);
    expect(before.a.version).toBe(1);
  });
});
