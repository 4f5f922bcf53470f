import type { images } from '../db/schema.sqlite';

export type ImageRow = typeof images.$inferSelect;

/**
 * Storage for image records; one implementation per dialect, one conformance suite for both.
 * Every read and delete names the owner, so no query can reach another person's image.
 */
export interface ImageRepo {
  insert(row: ImageRow): Promise<void>;
  findForUser(id: string, userId: string): Promise<ImageRow | null>;
  /** The owner's images among `ids` (unknown or foreign ids are simply absent). */
  listForUser(userId: string, ids: readonly string[]): Promise<ImageRow[]>;
  /** How many reminders still show this image, counting those in the trash until they are purged. */
  countReferences(id: string, userId: string): Promise<number>;
  /** Removes the record; false if there was none of this user's. */
  delete(id: string, userId: string): Promise<boolean>;
  /** Images created before `before` that no reminder uses, oldest first. */
  listUnreferenced(before: Date, limit: number): Promise<ImageRow[]>;
}
