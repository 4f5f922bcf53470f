import type { TestProject } from 'vitest/node';
import { mariadbAvailable, startMariadb } from './mariadb';
import { loudSkip } from './skip-notice';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Server URL without a database name (each test file creates its own), or null. */
    mysqlServerUrl: string | null;
  }
}

/**
 * Starts one throwaway MariaDB for the server suite (or uses MYSQL_TEST_URL). Without
 * MariaDB the MySQL half of the suite is skipped with a loud notice, and under CI=true
 * a skip is a failure.
 */
export default async function setup(project: TestProject) {
  const external = process.env.MYSQL_TEST_URL;
  if (external) {
    project.provide('mysqlServerUrl', external);
    return;
  }
  if (!mariadbAvailable()) {
    loudSkip('MariaDB', 'the MySQL half of the server suite', 'apt-get install -y mariadb-server');
    project.provide('mysqlServerUrl', null);
    return;
  }
  const server = await startMariadb();
  project.provide('mysqlServerUrl', server.url);
  return () => server.stop();
}
