import * as v from 'valibot';
import { RegisterInputSchema, LoginInputSchema } from '../../shared/schemas/auth';
import { describeIssues } from '../../shared/validation';
import { ApiError, createApiClient, normaliseServerUrl, type ApiClient } from './api';
import { clearCache } from './image-db';
import { libraryChanged } from './library-changes';
import { clearMirror, readMirror } from './mirror-store';
import {
  lastSaveItem,
  nextUpItem,
  recentlyShownItem,
  serverUrlItem,
  sessionItem,
  syncStatusItem,
  type Owner,
  type Session,
} from './storage';

/**
 * Sessions. The token is kept in `storage.local` only (never `storage.sync`), is sent only
 * to the server it was issued by, and is forgotten on sign-out, on a 401, and when the
 * server URL changes. Signing out also removes the local copy of the person's reminders;
 * unsent saves stay in the outbox, tagged with their owner, until that person signs in again.
 */

export interface Failure {
  code: string;
  message: string;
  fields: Record<string, string>;
}

export class AccountError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

export function ownerOf(session: Session): Owner {
  return { serverUrl: session.serverUrl, userId: session.user.id, email: session.user.email };
}

export function sameOwner(a: Owner | null, b: Owner | null): boolean {
  return !!a && !!b && a.serverUrl === b.serverUrl && a.userId === b.userId;
}

/** The signed-in session and a client that carries its token, or null when signed out. */
export async function signedInClient(): Promise<{ session: Session; api: ApiClient } | null> {
  const session = await sessionItem.getValue();
  if (!session) return null;
  return { session, api: createApiClient({ baseUrl: session.serverUrl, token: session.token }) };
}

const sessionLabel = () => (import.meta.env.FIREFOX ? 'RemindMe for Firefox' : 'RemindMe for Chrome');

export async function signUp(raw: { email: string; password: string }): Promise<Session> {
  const input = check(RegisterInputSchema, { ...raw, label: sessionLabel() });
  return startSession((api) => api.register(input));
}

export async function signIn(raw: { email: string; password: string }): Promise<Session> {
  const input = check(LoginInputSchema, { ...raw, label: sessionLabel() });
  return startSession((api) => api.login(input));
}

function check<S extends v.GenericSchema>(schema: S, value: unknown): v.InferOutput<S> {
  const parsed = v.safeParse(schema, value);
  if (parsed.success) return parsed.output;
  const { message, fields } = describeIssues(parsed.issues);
  throw new AccountError({ code: 'validation_failed', message, fields });
}

async function startSession(
  call: (api: ApiClient) => Promise<{ user: Session['user']; token: string; expiresAt: string }>,
): Promise<Session> {
  const serverUrl = await serverUrlItem.getValue();
  let result;
  try {
    result = await call(createApiClient({ baseUrl: serverUrl }));
  } catch (error) {
    throw new AccountError(failureOf(error));
  }
  const session: Session = { ...result, serverUrl };
  const mirror = await readMirror();
  if (!sameOwner(mirror.owner, ownerOf(session))) await forgetLocalData();
  await sessionItem.setValue(session);
  libraryChanged();
  return session;
}

/** Ends the session here even when the server cannot be told (it expires there on its own). */
export async function signOut(): Promise<void> {
  const client = await signedInClient();
  if (client) {
    await client.api.logout().catch(() => undefined);
  }
  await sessionItem.setValue(null);
  await forgetLocalData();
}

/** The server no longer accepts the token (expired, signed out elsewhere). */
export async function sessionEnded(): Promise<void> {
  await sessionItem.setValue(null);
  await forgetLocalData();
  await syncStatusItem.setValue({
    lastSyncedAt: null,
    lastError: 'Your session has ended. Sign in again to sync.',
  });
}

/** The reminders of whoever was signed in; unsent saves are kept (see the header). */
async function forgetLocalData(): Promise<void> {
  await Promise.all([
    clearMirror(),
    recentlyShownItem.removeValue(),
    nextUpItem.setValue({ status: 'signed-out' }),
    lastSaveItem.removeValue(),
    syncStatusItem.removeValue(),
    // Cached images are this person's; their unsent image saves stay (see the header).
    clearCache().catch(() => undefined),
  ]);
  libraryChanged();
}

/** A different server means a different account: the current session cannot go along. */
export async function setServerUrl(input: string): Promise<string> {
  const url = normaliseServerUrl(input);
  if (!url) {
    throw new AccountError({
      code: 'validation_failed',
      message: 'The server URL must be a full http:// or https:// address.',
      fields: { serverUrl: 'Enter a full http:// or https:// address.' },
    });
  }
  if (url === (await serverUrlItem.getValue())) return url;
  if (await sessionItem.getValue()) await signOut();
  await serverUrlItem.setValue(url);
  return url;
}

export function failureOf(error: unknown): Failure {
  if (error instanceof AccountError) return error.failure;
  if (error instanceof ApiError) {
    return { code: error.code, message: error.message, fields: error.fields };
  }
  return { code: 'internal', message: 'Something went wrong in the extension.', fields: {} };
}
