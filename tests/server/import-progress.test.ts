import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, startTestServer, type TestServer } from '../support/test-server';

/**
 * The options page draws its import progress bar from the ndjson stream, over a real
 * socket: progress must leave the server while the import is still writing, not all at
 * once with the report at the end.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  await removeDataDir(server);
});

describe('import progress over HTTP', () => {
  it('streams progress between batches, before the report', async () => {
    const reg = await fetch(`${server.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `progress-${Date.now()}@example.org`,
        password: 'correct horse battery',
      }),
    });
    const { token } = (await reg.json()) as { token: string };
    const entries = Array.from({ length: 6_000 }, (_, i) => ({
      text: `Progress saying ${i}`,
      author: `A${i % 50}`,
    }));
    const response = await fetch(`${server.url}/api/import?format=json`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/x-ndjson',
        'content-type': 'application/json',
      },
      body: JSON.stringify(entries),
    });
    expect(response.status).toBe(200);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    // Each read is what had arrived by then; the report must not come with all the progress.
    const reads: string[][] = [];
    let buffered = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += value;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      if (lines.length) reads.push(lines.map((l) => (JSON.parse(l) as { type: string }).type));
    }
    const all = reads.flat();
    expect(all.at(-1)).toBe('report');
    expect(all.filter((t) => t === 'progress').length).toBeGreaterThanOrEqual(7);
    const beforeReport = reads.slice(0, -1).filter((r) => r.includes('progress'));
    expect(beforeReport.length).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
