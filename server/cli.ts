import { resolve } from 'node:path';
import { exportCommand, importCommand } from './cli-library';
import { migrate, openDatabase } from './db/client';
import { ConfigError, loadConfig } from './config';
import { runChecks } from './check';
import { createLogger } from './logger';
import { closeOnSignals, ListenError, startServer, type RunningServer } from './main';
import { DEFAULT_SERVER_URL } from '../shared/limits';

const USAGE = `Usage: remindme <command>

Commands:
  start                     check, migrate and serve (what \`npm start\` runs)
  serve                     migrate and serve the API
  migrate                   apply database migrations and exit
  check                     verify configuration, database and storage, then exit
  import --format FORMAT --user EMAIL [--dry-run] FILE
                            import a file into an account; FORMAT is fortune, csv,
                            kindle (My Clippings.txt), readwise (CSV export) or json
                            (our own export); --dry-run reports without writing
  export --user EMAIL [--format json|csv] [FILE]
                            write an account's reminders to FILE (or standard output)

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
      return importCommand(rest, () => loadConfig(process.env));
    case 'export':
      return exportCommand(rest, () => loadConfig(process.env));
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
