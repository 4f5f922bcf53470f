import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { DeviceListSchema, VersionMismatchBodySchema } from '../../shared/schemas/library';
import { dialects } from '../support/databases';
import { useHarness } from './harness';

const PASSWORD = 'correct horse battery';

describe.each(dialects())('devices and password (%s)', (dialect) => {
  const h = useHarness(dialect);
  const login = async (email: string, label: string, password = PASSWORD) =>
    h.call('POST', '/api/auth/login', { json: { email, password, label } });

  it('lists my signed-in devices with labels and last use, marking the current one', async () => {
    const { email, token: first } = await h.signUp();
    h.clock.advance(60_000);
    const firefox = (await login(email, 'Firefox on the laptop')).body.token as string;
    const res = await h.call('GET', '/api/auth/sessions', { token: firefox });
    expect(res.status).toBe(200);
    const { sessions } = v.parse(DeviceListSchema, res.body);
    expect(sessions).toHaveLength(2);
    expect(sessions.find((s) => s.current)).toMatchObject({ label: 'Firefox on the laptop' });
    expect(sessions.find((s) => !s.current)).toMatchObject({ label: null });
    expect(sessions.every((s) => !JSON.stringify(s).includes(first.split('.')[1]!))).toBe(true);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('signs out one of my devices, and treats anyone else’s session id as unknown', async () => {
    const me = await h.signUp();
    const other = await h.signUp();
    const phone = (await login(me.email, 'Phone')).body.token as string;
    const phoneId = phone.split('.')[0]!;
    const theirs = (await h.call('GET', '/api/auth/sessions', { token: other.token })).body.sessions[0].id;
    const refused = await h.call('DELETE', `/api/auth/sessions/${theirs}`, { token: me.token });
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('not_found');
    expect((await h.call('GET', '/api/auth/me', { token: other.token })).status).toBe(200);
    expect((await h.call('DELETE', '/api/auth/sessions/not-a-session', { token: me.token })).status).toBe(
      404,
    );

    expect((await h.call('DELETE', `/api/auth/sessions/${phoneId}`, { token: me.token })).status).toBe(204);
    expect((await h.call('GET', '/api/auth/me', { token: phone })).status).toBe(401);
    expect((await h.call('GET', '/api/auth/me', { token: me.token })).status).toBe(200);
  });

  it('changes the password and signs out every other session', async () => {
    const { email, token } = await h.signUp();
    const laptop = (await login(email, 'Laptop')).body.token as string;
    const wrong = await h.call('POST', '/api/auth/password', {
      token,
      json: { currentPassword: 'not it at all', newPassword: 'a new long passphrase' },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toMatchObject({
      code: 'wrong_password',
      fields: { currentPassword: expect.any(String) },
    });
    expect((await h.call('GET', '/api/auth/me', { token })).status).toBe(200);
    const short = await h.call('POST', '/api/auth/password', {
      token,
      json: { currentPassword: PASSWORD, newPassword: 'short' },
    });
    expect(short.body.error.fields.newPassword).toMatch(/at least 8/);
    const extra = await h.call('POST', '/api/auth/password', {
      token,
      json: { currentPassword: PASSWORD, newPassword: 'a new long passphrase', confirm: 'x' },
    });
    expect(extra.body.error.fields).toEqual({ confirm: 'Unknown field "confirm".' });

    const ok = await h.call('POST', '/api/auth/password', {
      token,
      json: { currentPassword: PASSWORD, newPassword: 'a new long passphrase' },
    });
    expect(ok.status).toBe(204);
    expect((await h.call('GET', '/api/auth/me', { token })).status).toBe(200);
    expect((await h.call('GET', '/api/auth/me', { token: laptop })).status).toBe(401);
    expect((await login(email, 'x')).status).toBe(401);
    expect((await login(email, 'Laptop again', 'a new long passphrase')).status).toBe(200);
  });

  it('slows down guessing the current password', async () => {
    const { token } = await h.signUp();
    let last = 0;
    for (let i = 0; i < 11; i++) {
      last = (
        await h.call('POST', '/api/auth/password', {
          token,
          json: { currentPassword: `guess ${i}`, newPassword: 'whatever long enough' },
        })
      ).status;
    }
    expect(last).toBe(429);
  });
});

describe.each(dialects())('two devices editing one reminder (%s)', (dialect) => {
  const h = useHarness(dialect);

  it('refuses the stale edit with both versions at hand, and accepts the choice made from them', async () => {
    const { email, token: laptop } = await h.signUp();
    const phone = (
      await h.call('POST', '/api/auth/login', { json: { email, password: PASSWORD, label: 'Phone' } })
    ).body.token;
    const { reminder } = (
      await h.call('POST', '/api/reminders', { token: laptop, json: { text: 'Original words' } })
    ).body;
    // Both devices have version 1.
    const onPhone = (await h.call('GET', `/api/reminders/${reminder.id}`, { token: phone })).body.reminder;
    const fromLaptop = await h.call('PATCH', `/api/reminders/${reminder.id}`, {
      token: laptop,
      json: { text: 'Edited on the laptop', favorite: true },
      headers: { 'if-match': `"${reminder.version}"` },
    });
    expect(fromLaptop.status).toBe(200);

    const fromPhone = await h.call('PATCH', `/api/reminders/${reminder.id}`, {
      token: phone,
      json: { text: 'Edited on the phone' },
      headers: { 'if-match': `"${onPhone.version}"` },
    });
    expect(fromPhone.status).toBe(412);
    const conflict = v.parse(VersionMismatchBodySchema, fromPhone.body);
    expect(conflict.error.code).toBe('version_mismatch');
    expect(conflict.reminder).toMatchObject({ text: 'Edited on the laptop', favorite: true, version: 2 });

    // The person keeps the phone's words on top of the laptop's version.
    const resolved = await h.call('PATCH', `/api/reminders/${reminder.id}`, {
      token: phone,
      json: { text: 'Edited on the phone' },
      headers: { 'if-match': `"${conflict.reminder.version}"` },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.reminder).toMatchObject({ text: 'Edited on the phone', favorite: true, version: 3 });
    const sync = await h.call('GET', '/api/sync', { token: laptop });
    expect(sync.body.changes).toEqual([expect.objectContaining({ text: 'Edited on the phone', version: 3 })]);

    // An edit of a reminder the other device deleted meanwhile is a 404, not a resurrection.
    await h.call('DELETE', `/api/reminders/${reminder.id}`, { token: laptop });
    const gone = await h.call('PATCH', `/api/reminders/${reminder.id}`, {
      token: phone,
      json: { text: 'late' },
      headers: { 'if-match': '"3"' },
    });
    expect(gone.status).toBe(404);
  });
});
