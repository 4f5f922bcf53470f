import { LIBRARY } from '../../shared/limits';
import type { ImportFormat, ImportReport } from '../../shared/schemas/library';
import { putPending } from './image-db';
import { detectFormat, SAMPLE_BYTES } from './import-detect';
import { send } from './messages';
import { importProgressItem, type ImportProgress } from './storage';

/**
 * The options page's import, step by step: a file is chosen (its format guessed), a dry
 * run shows what would be added, and the import runs with the server's progress. The
 * file's bytes go to IndexedDB once, under one key, for both runs (import-run.ts).
 */
export class ImportChoice {
  file = $state<File | null>(null);
  format = $state<ImportFormat | ''>('');
  detected = $state<ImportFormat | null>(null);
  preview = $state<ImportReport | null>(null);
  result = $state<ImportReport | null>(null);
  progress = $state<ImportProgress | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);

  private key: string | null = null;

  async choose(file: File | null): Promise<void> {
    await this.letGo();
    this.preview = null;
    this.result = null;
    this.error = null;
    this.file = file;
    this.detected = null;
    this.format = '';
    if (!file) return;
    if (file.size > LIBRARY.importMaxBytes) {
      this.error = `This file is too large: one import takes at most ${LIBRARY.importMaxBytes / 1024 / 1024} MB.`;
      return;
    }
    this.detected = detectFormat(file.name, await file.slice(0, SAMPLE_BYTES).text());
    this.format = this.detected ?? '';
  }

  /** A dry run first (`dryRun`), then the import itself. */
  async run(dryRun: boolean): Promise<void> {
    if (!this.file || !this.format) return;
    this.busy = true;
    this.error = null;
    if (!dryRun) this.result = null;
    try {
      const key = await this.handOver(this.file);
      const stop = importProgressItem.watch((p) => {
        if (p?.key === key) this.progress = p;
      });
      const answer = await send({ type: 'importFile', key, format: this.format, dryRun });
      stop();
      if (!answer.ok) {
        this.error = answer.error.message;
        this.progress = null;
      } else if (dryRun) {
        this.preview = answer.report;
      } else {
        this.result = answer.report;
        this.key = null;
      }
    } finally {
      this.busy = false;
    }
  }

  private async handOver(file: File): Promise<string> {
    if (this.key) return this.key;
    const key = crypto.randomUUID();
    await putPending(key, { data: await file.arrayBuffer(), mime: file.type || 'application/octet-stream' });
    this.key = key;
    return key;
  }

  /** The bytes of a file the person moved on from are not kept. */
  async letGo(): Promise<void> {
    const key = this.key;
    this.key = null;
    this.progress = null;
    if (key) await send({ type: 'discardImport', key });
  }
}
