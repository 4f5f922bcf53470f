import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ExportFileSchema } from '../../shared/schemas/library';
import { dialects } from '../support/databases';
import { noiseJpeg } from '../support/image-fixtures';
import { useHarness } from './harness';
import { everything, type Item } from './library-helpers';
import { uploader } from './images-helpers';

describe.each(dialects())('export API (%s)', (dialect) => {
  const h = useHarness(dialect);
  it('exports JSON losslessly, and importing it into a fresh account gives the same collection', async () => {
    const a = await h.signUp();
    const image = (await uploader(h)(a.token, await noiseJpeg(300, 200), { type: 'image/jpeg' })).body.image;
    const made = [
      { text: 'Plain' },
      {
        text: 'Full 👩🏽‍💻 “quoted”\nsecond line',
        note: 'why it matters',
        author: 'Ada',
        sourceUrl: 'https://example.org/a?b=1',
        sourceTitle: 'A page',
        visibility: 'public',
        favorite: true,
      },
      { text: 'With a picture', imageId: image.id },
    ];
    for (const json of made) {
      await h.call('POST', '/api/reminders', { token: a.token, json });
      h.clock.advance(1500);
    }
    const gone = (
      await h.call('POST', '/api/reminders', { token: a.token, json: { text: 'Deleted, not exported' } })
    ).body.reminder;
    await h.call('DELETE', `/api/reminders/${gone.id}`, { token: a.token });

    const res = await h.call('GET', '/api/export?format=json', { token: a.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="remindme-\d{4}-\d\d-\d\d\.json"$/,
    );
    const file = v.parse(ExportFileSchema, res.body);
    expect(file.reminders.map((r) => r.text)).toEqual(['With a picture', made[1]!.text, 'Plain']);
    expect(file.reminders[0]!.image).toMatchObject({
      id: image.id,
      mime: 'image/jpeg',
      width: 300,
      height: 200,
      url: expect.stringMatching(/^http/),
    });

    const b = await h.signUp();
    const back = await h.call('POST', '/api/import?format=json', {
      token: b.token,
      body: res.text,
      headers: { 'content-type': 'application/json' },
    });
    expect(back.body).toMatchObject({ created: 3, duplicates: 0, errors: [] });
    const strip = (r: Item) => ({
      text: r.text,
      note: r.note,
      author: r.author,
      sourceUrl: r.sourceUrl,
      sourceTitle: r.sourceTitle,
      visibility: r.visibility,
      favorite: r.favorite,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    });
    expect((await everything(h, b.token)).map(strip)).toEqual((await everything(h, a.token)).map(strip));
    // Someone else's image cannot be taken over by naming its id in a file.
    expect(back.body.warnings).toEqual([
      expect.objectContaining({ reason: expect.stringMatching(/without its image/) }),
    ]);
    expect((await everything(h, b.token)).every((r) => r.imageId === null)).toBe(true);
    // Into the same account (a restore), nothing is duplicated.
    expect(
      (await h.call('POST', '/api/import?format=json', { token: a.token, body: res.text })).body,
    ).toMatchObject({ created: 0, duplicates: 3 });
  });

  it('exports CSV that spreadsheets and our CSV import read back', async () => {
    const a = await h.signUp();
    await h.call('POST', '/api/reminders', {
      token: a.token,
      json: { text: '=SUM(A1) is not a formula here', author: 'Tester, Esq.' },
    });
    await h.call('POST', '/api/reminders', {
      token: a.token,
      json: { text: 'Line one\nLine "two"', visibility: 'public', favorite: true, note: ' padded ' },
    });
    const res = await h.call('GET', '/api/export?format=csv', { token: a.token });
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(
      res.text.startsWith(
        'text,author,note,sourceUrl,sourceTitle,visibility,favorite,createdAt,updatedAt,imageUrl\r\n',
      ),
    ).toBe(true);
    const raw = await h.app.request('/api/export?format=csv', {
      headers: { authorization: `Bearer ${a.token}` },
    });
    expect([...new Uint8Array(await raw.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs
    expect(res.text).toContain(`'=SUM(A1) is not a formula here`);
    const b = await h.signUp();
    const back = await h.call('POST', '/api/import?format=csv', { token: b.token, body: res.text });
    expect(back.body).toMatchObject({ created: 2, errors: [] });
    const pick = (r: Item) => [r.text, r.author, r.visibility, r.favorite, r.createdAt];
    expect((await everything(h, b.token)).map(pick).sort()).toEqual(
      (await everything(h, a.token)).map(pick).sort(),
    );
  });

  it("never exports someone else's reminders", async () => {
    const a = await h.signUp();
    const b = await h.signUp();
    await h.call('POST', '/api/reminders', {
      token: b.token,
      json: { text: 'B private', visibility: 'private' },
    });
    await h.call('POST', '/api/reminders', {
      token: b.token,
      json: { text: 'B public', visibility: 'public' },
    });
    await h.call('POST', '/api/reminders', { token: a.token, json: { text: 'A own' } });
    const json = await h.call('GET', '/api/export', { token: a.token });
    expect(json.body.reminders.map((r: Item) => r.text)).toEqual(['A own']);
    const csv = await h.call('GET', '/api/export?format=csv', { token: a.token });
    expect(csv.text).not.toContain('B p');
    expect((await h.call('GET', '/api/export')).status).toBe(401);
    expect((await h.call('GET', '/api/export?format=xml', { token: a.token })).status).toBe(400);
  });
});
