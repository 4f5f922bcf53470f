import type { Harness } from './harness';

export type Item = { id: string; text: string; author: string | null; [k: string]: unknown };

/** Every live reminder of the account, through the paged list. */
export async function everything(h: Harness, token: string): Promise<Item[]> {
  const out: Item[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: { items: Item[]; nextCursor: string | null } } = await h.call(
      'GET',
      `/api/reminders?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      { token },
    );
    out.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return out;
}
