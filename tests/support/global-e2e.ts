import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { CHROMIUM } from './browser';
import { loudSkip } from './skip-notice';

declare module 'vitest' {
  export interface ProvidedContext {
    /** True when Chromium is installed and the extension was just built. */
    e2eReady: boolean;
  }
}

/**
 * End-to-end tests need Debian's Chromium and a fresh build of the extension (never a stale
 * one left from an earlier run), so this builds it once before the suite.
 */
export default async function setup(project: TestProject) {
  if (!existsSync(CHROMIUM)) {
    loudSkip('Chromium', 'the end-to-end suite', 'apt-get install -y chromium');
    project.provide('e2eReady', false);
    return;
  }
  await promisify(execFile)('npx', ['wxt', 'build'], { maxBuffer: 16 * 1024 * 1024 });
  project.provide('e2eReady', true);
}
