import * as v from 'valibot';
import { ChangePasswordInputSchema, HandleSchema } from '../../shared/schemas/library';
import { describeIssues } from '../../shared/validation';
import { ApiError } from './api';
import { AccountError, sessionEnded, signedInClient, signOut } from './account';
import { changePassword, listDevices, setHandle, signOutDevice } from './library-api';
import { sessionItem } from './storage';

/**
 * The account settings of the options page: the public handle, signed-in devices and the
 * password. Failures are thrown as AccountError with the server's reason, the way sign-in
 * reports them, so the page can show them next to the right field.
 */

function check<S extends v.GenericSchema>(schema: S, value: unknown): v.InferOutput<S> {
  const parsed = v.safeParse(schema, value);
  if (parsed.success) return parsed.output;
  const { message, fields } = describeIssues(parsed.issues);
  throw new AccountError({ code: 'validation_failed', message, fields });
}

async function client() {
  const found = await signedInClient();
  if (!found) {
    throw new AccountError({ code: 'unauthorized', message: 'Sign in first.', fields: {} });
  }
  return found;
}

/** A 401 means this device was signed out (elsewhere): it forgets the session too. */
async function call<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) await sessionEnded();
    throw error;
  }
}

/** The session id is the token's first part (`<id>.<secret>`, Lucia's design). */
const sessionIdOf = (token: string) => token.split('.')[0] ?? '';

export async function chooseHandle(raw: string | null): Promise<void> {
  const handle =
    raw === null || raw.trim() === ''
      ? null
      : check(v.object({ handle: HandleSchema }), { handle: raw }).handle;
  const { api, session } = await client();
  const { user } = await call(() => setHandle(api, handle)).catch((error: unknown) => {
    if (error instanceof ApiError && error.code === 'handle_taken')
      throw new AccountError({ code: error.code, message: error.message, fields: { handle: error.message } });
    throw error;
  });
  const now = await sessionItem.getValue();
  if (now && now.token === session.token) await sessionItem.setValue({ ...now, user });
}

export async function devices() {
  const { api } = await client();
  return (await call(() => listDevices(api))).sessions;
}

/** Signs out one device; this one means signing out here. */
export async function signOutOne(id: string): Promise<void> {
  const { api, session } = await client();
  if (id === sessionIdOf(session.token)) return signOut();
  await call(() => signOutDevice(api, id));
}

export async function newPassword(currentPassword: string, password: string): Promise<void> {
  const input = check(ChangePasswordInputSchema, { currentPassword, newPassword: password });
  const { api } = await client();
  await call(() => changePassword(api, input)).catch((error: unknown) => {
    if (error instanceof ApiError && error.code === 'wrong_password')
      throw new AccountError({
        code: error.code,
        message: error.message,
        fields: { currentPassword: error.message },
      });
    throw error;
  });
}
