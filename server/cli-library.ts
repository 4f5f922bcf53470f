import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { IMPORT_FORMATS, type ImportFormat, type ImportIssue } from '../shared/schemas/library';
import { normalizeEmail } from './auth/service';
import type { Config } from './config';
import { migrate, openDatabase } from './db/client';
import { createRepos, type Repos } from './db/repos';
import { AppError } from './errors';
import { createExportService } from './export/service';
import { createImageService } from './images/service';
import { createImageDeps, type ImageDeps } from './images/setup';
import { importImages } from './import/images';
import { createImportService } from './import/service';
import { silentLogger } from './logger';
import { backfillSearchIndex } from './reminders/backfill';

export const IMPORT_USAGE = `Usage: remindme import --format ${IMPORT_FORMATS.join('|')} --user EMAIL [--dry-run] FILE`;
export const EXPORT_USAGE =
  'Usage: remindme export --user EMAIL [--format json|csv] [FILE]   (standard output without FILE)';

/** Opens the configured database, finds the account, runs `task`, and always closes it. */
async function withAccount(
  config: Config,
  email: string,
  task: (
    repos: Repos,
    user: NonNullable<Awaited<ReturnType<Repos['auth']['findUserByEmail']>>>,
  ) => Promise<number>,
) {
  const database = openDatabase(config.database);
  try {
    await migrate(database);
    const repos = createRepos(database);
    await backfillSearchIndex(repos.reminders, silentLogger);
    const user = await repos.auth.findUserByEmail(normalizeEmail(email));
    if (!user) {
      console.error(`No account with the email ${email}. Sign up in the extension first.`);
      return 1;
    }
    return await task(repos, user);
  } finally {
    await database.close();
  }
}

const describe = (kind: string, i: ImportIssue) =>
  `  ${kind} entry ${i.entry}${i.line ? ` (line ${i.line})` : ''}: ${i.reason}${i.excerpt ? ` — ${i.excerpt}` : ''}`;

export async function importCommand(args: string[], config: () => Config): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { format: { type: 'string' }, user: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    allowPositionals: true,
  });
  const file = positionals[0];
  const format = IMPORT_FORMATS.find((f) => f === values.format);
  if (!format || !values.user || !file || positionals.length > 1) {
    console.error(IMPORT_USAGE);
    return 1;
  }
  const bytes = await readFile(file);
  const settings = config();
  return withAccount(settings, values.user, async (repos, user) => {
    const images = await createImageDeps(settings);
    try {
      const clock = () => new Date();
      const service = createImportService({
        repo: repos.reminders,
        clock,
        images: importImages(repos.images, imageService(repos, images, clock), silentLogger),
      });
      const report = await service.run(user, format as ImportFormat, bytes, { dryRun: values['dry-run'] });
      const verb = report.dryRun ? 'Would import' : 'Imported';
      console.log(
        `${verb} ${report.created} of ${report.total} entries from ${file} ` +
          `(${report.duplicates} already there, ${report.skipped.length} skipped, ${report.errors.length} not importable).`,
      );
      for (const i of report.errors) console.log(describe('could not import', i));
      for (const i of report.skipped) console.log(describe('skipped', i));
      for (const i of report.warnings) console.log(describe('note on', i));
      if (report.omittedIssues) console.log(`  … and ${report.omittedIssues} more.`);
      return 0;
    } catch (error) {
      if (error instanceof AppError) {
        console.error(error.message);
        return 1;
      }
      throw error;
    } finally {
      await images.processor.close();
    }
  });
}

const imageService = (repos: Repos, images: ImageDeps, clock: () => Date) =>
  createImageService({
    repo: repos.images,
    store: images.store,
    clock,
    logger: silentLogger,
    tempDir: images.tempDir,
    processor: images.processor,
  });

export async function exportCommand(args: string[], config: () => Config): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { format: { type: 'string' }, user: { type: 'string' } },
    allowPositionals: true,
  });
  const format = values.format ?? 'json';
  if ((format !== 'json' && format !== 'csv') || !values.user || positionals.length > 1) {
    console.error(EXPORT_USAGE);
    return 1;
  }
  const settings = config();
  const file = positionals[0];
  return withAccount(settings, values.user, async (repos, user) => {
    const images = await createImageDeps(settings);
    try {
      const clock = () => new Date();
      const exporter = createExportService(repos.reminders, imageService(repos, images, clock), clock);
      const baseUrl =
        settings.publicUrl ??
        `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${settings.port}`;
      const chunks: string[] = [];
      for await (const chunk of format === 'json'
        ? exporter.json(user, baseUrl)
        : exporter.csv(user, baseUrl)) {
        if (file) chunks.push(chunk);
        else process.stdout.write(chunk);
      }
      if (file) {
        await writeFile(file, chunks.join(''));
        console.error(`Exported to ${file}.`);
      }
      return 0;
    } finally {
      await images.processor.close();
    }
  });
}
