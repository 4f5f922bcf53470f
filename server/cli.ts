import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createRepos } from './db/repos';
import { migrate, openDatabase } from './db/client';
import { ConfigError, loadConfig } from './config';
import { runChecks } from './check';
import { createLogger } from './logger';
import { closeOnSignals, ListenError, startServer, type RunningServer } from './main';
import { parseFortunes } from './import/fortune';
import { importEntries } from './import/service';
import { createReminderService } from './reminders/service';
import { normalizeEmail } from './auth/service';
import { DEFAULT_SERVER_URL } from '../shared/limits';

const USAGE = `Usage: remindme <command>

Commands:
  start                     check, migrate and serve (what \`npm start\` runs)
  serve                     migrate and serve the API
  migrate                   apply database migrations and exit
  check                     verify configuration, database and storage, then exit
  import --format fortune --user EMAIL FILE
                            import a file of sayings into an account

Settings come from the environment; see README.md.`;

const EXTENSION_DIR = '.output/chrome-mv3';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start(true);
    case 'serve':
      return start(false);
    case 'migrate':
      return migrateOnly();
    case 'check':
      return check();
    case 'import':
      return importFile(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return command === undefined ? 1 : 0;
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 1;
  }
}

async function check(): Promise<number> {
  const { results } = await runChecks(process.env, { expectMigrated: true, extensionDir: EXTENSION_DIR });
  for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.name}: ${r.detail}`);
  return results.every((r) => r.ok) ? 0 : 1;
}

async function start(withPreflight: boolean): Promise<number> {
  if (withPreflight) {
    // The schema may legitimately be missing here: it is created right below.
    const { results } = await runChecks(process.env, { expectMigrated: false, extensionDir: EXTENSION_DIR });
    const failed = results.filter((r) => !r.ok);
    if (failed.length) {
      console.error('RemindMe cannot start:');
      for (const r of failed) console.error(`  - ${r.name}: ${r.detail}`);
      return 1;
    }
  }
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  let running: RunningServer;
  try {
    running = await startServer(config, logger);
  } catch (error) {
    if (!(error instanceof ListenError)) throw error;
    console.error(`RemindMe cannot start:\n  - listen: ${error.message}`);
    return 1;
  }
  closeOnSignals(running, logger);
  logger.info('listening', { url: running.url, database: config.database.kind });
  if (withPreflight) {
    console.log(`
RemindMe API is running at ${running.url}

Load the extension:
  Chrome:  chrome://extensions → Developer mode → Load unpacked → ${resolve(EXTENSION_DIR)}
  Firefox: npm run build:firefox, then about:debugging → This Firefox → Load Temporary Add-on →
           ${resolve('.output/firefox-mv3/manifest.json')}
Then open the toolbar popup, ${running.url === DEFAULT_SERVER_URL ? 'keep' : 'enter'} the server URL ${running.url}, and sign up.
Stop with Ctrl+C.`);
  }
  return -1;
}

async function migrateOnly(): Promise<number> {
  const config = loadConfig(process.env);
  const database = openDatabase(config.database);
  try {
    await migrate(database);
    console.log(`Migrations applied (${database.dialect}).`);
    return 0;
  } finally {
    await database.close();
  }
}

async function importFile(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { format: { type: 'string' }, user: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (values.format !== 'fortune' || !values.user || !file || positionals.length > 1) {
    console.error('Usage: remindme import --format fortune --user EMAIL [--dry-run] FILE');
    return 1;
  }
  const config = loadConfig(process.env);
  const database = openDatabase(config.database);
  try {
    await migrate(database);
    const repos = createRepos(database);
    const user = await repos.auth.findUserByEmail(normalizeEmail(values.user));
    if (!user) {
      console.error(`No account with the email ${values.user}. Sign up in the extension first.`);
      return 1;
    }
    const text = new TextDecoder('utf-8').decode(await readFile(file));
    const entries = parseFortunes(text);
    const service = createReminderService(repos.reminders, () => new Date());
    const report = await importEntries(service, user, entries, { dryRun: values['dry-run'] });
    const verb = values['dry-run'] ? 'Would import' : 'Imported';
    console.log(
      `${verb} ${report.created} of ${entries.length} entries from ${file} ` +
        `(${report.duplicates} already there, ${report.skipped.length} skipped).`,
    );
    for (const s of report.skipped) console.log(`  skipped entry ${s.index + 1}: ${s.reason}`);
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
