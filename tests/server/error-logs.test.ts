import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger';
import { dialects } from '../support/databases';
import { uniqueEmail, useHarness } from './harness';

/**
 * The server's logs are read by more people than its database: a failed query must not
 * carry the values it was bound with (password hashes, emails, reminder text) into them.
 */
describe.each(dialects())('error logs on %s', (dialect) => {
  const lines: string[] = [];
  const h = useHarness(dialect, { logger: createLogger('debug', (line) => lines.push(line)) });

  const refuseInserts = async (table: string) => {
    if (h.database.dialect === 'sqlite') {
      h.database.raw.exec(
        `create trigger refuse_${table} before insert on ${table} begin select raise(abort, 'refused'); end`,
      );
      return () => h.database.dialect === 'sqlite' && h.database.raw.exec(`drop trigger refuse_${table}`);
    }
    const db = h.database.db;
    await db.execute(
      sql.raw(
        `create trigger refuse_${table} before insert on ${table} for each row signal sqlstate '45000' set message_text = 'refused'`,
      ),
    );
    return () => db.execute(sql.raw(`drop trigger refuse_${table}`));
  };

  it('logs a failed sign-up query without the email or the password hash', async () => {
    const restore = await refuseInserts('users');
    const email = uniqueEmail();
    lines.length = 0;
    const res = await h.call('POST', '/api/auth/register', {
      json: { email, password: 'correct horse battery' },
    });
    await restore();
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'internal', message: 'Something went wrong on the server.' } });
    const logged = lines.join('\n');
    expect(logged).toContain('unhandled error');
    expect(logged).toMatch(/SQLITE_CONSTRAINT_TRIGGER|ER_SIGNAL_EXCEPTION/);
    expect(logged).not.toContain(email);
    expect(logged).not.toContain('argon2');
    expect(logged).not.toContain('correct horse');
  });

  it('logs a failed save without the reminder text', async () => {
    const { token } = await h.signUp();
    const restore = await refuseInserts('reminders');
    lines.length = 0;
    const res = await h.call('POST', '/api/reminders', {
      token,
      json: { text: 'a very private thought 7f3a' },
    });
    await restore();
    expect(res.status).toBe(500);
    expect(lines.join('\n')).toContain('unhandled error');
    expect(lines.join('\n')).not.toContain('private thought');
    expect(lines.join('\n')).not.toContain(token.split('.')[1]);
  });
});
