import type { Context } from 'hono';
import type { PublicReminder, Reminder } from '../../shared/schemas/reminders';
import { AppError } from '../errors';
import type { AuthedEnv } from '../http/env';
import { baseUrlFor } from './routes';
import type { ImageService } from './service';

/**
 * Puts `image` (signed URLs and sizes) on the reminders a route returns to their owner,
 * including the current copy that travels inside a 409 or 412 error.
 */
export function reminderImages(images: ImageService, publicUrl: string | null) {
  const baseUrl = baseUrlFor(publicUrl);
  const many = <R extends Reminder>(c: Context<AuthedEnv>, reminders: R[]) =>
    images.withImages(c.var.user.id, reminders, baseUrl(c));
  const one = async <R extends Reminder>(c: Context<AuthedEnv>, reminder: R): Promise<R> =>
    (await many(c, [reminder]))[0] ?? reminder;

  return {
    one,
    many,
    /** Like `one`, for a result that may be someone else's public reminder (left as it is). */
    async ownOrPublic(
      c: Context<AuthedEnv>,
      value: Reminder | PublicReminder,
    ): Promise<Reminder | PublicReminder> {
      return 'imageId' in value ? one(c, value) : value;
    },
    async orCopyInError<T>(c: Context<AuthedEnv>, task: () => Promise<T>): Promise<T> {
      try {
        return await task();
      } catch (error) {
        const copy = error instanceof AppError ? (error.extra?.reminder as Reminder | undefined) : undefined;
        if (!(error instanceof AppError) || !copy) throw error;
        throw new AppError(error.code, error.message, error.fields, {
          ...error.extra,
          reminder: await one(c, copy),
        });
      }
    },
  };
}
