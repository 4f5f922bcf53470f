import { mysqlAuthRepo } from '../auth/repo.mysql';
import { sqliteAuthRepo } from '../auth/repo.sqlite';
import type { AuthRepo } from '../auth/repo';
import { mysqlImageRepo } from '../images/repo.mysql';
import { sqliteImageRepo } from '../images/repo.sqlite';
import type { ImageRepo } from '../images/repo';
import { mysqlReminderRepo } from '../reminders/repo.mysql';
import { sqliteReminderRepo } from '../reminders/repo.sqlite';
import type { ReminderRepo } from '../reminders/repo';
import type { Database } from './client';

export type Repos = { auth: AuthRepo; reminders: ReminderRepo; images: ImageRepo };

export function createRepos(database: Database): Repos {
  if (database.dialect === 'sqlite') {
    return {
      auth: sqliteAuthRepo(database.db),
      reminders: sqliteReminderRepo(database.db),
      images: sqliteImageRepo(database.db),
    };
  }
  return {
    auth: mysqlAuthRepo(database.db),
    reminders: mysqlReminderRepo(database.db),
    images: mysqlImageRepo(database.db),
  };
}
