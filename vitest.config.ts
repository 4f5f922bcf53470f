import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Three suites with different needs: the server suite runs on SQLite and on a throwaway
// MariaDB; the extension suite runs WXT's fake browser; e2e drives real Chromium with the
// built extension against the real server on loopback.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'server',
          include: ['tests/server/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-mariadb.ts'],
          // Times are stored as UTC instants; a non-UTC zone proves nothing depends on it.
          env: { TZ: 'America/Sao_Paulo' },
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [WxtVitest()],
        test: {
          name: 'extension',
          include: ['tests/extension/**/*.test.ts'],
          // IndexedDB (image bytes and the new tab's image cache) in memory, as Node has none.
          setupFiles: ['fake-indexeddb/auto'],
          testTimeout: 10_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-e2e.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
