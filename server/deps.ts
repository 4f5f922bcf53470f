import type { Database } from './db/client';
import type { Repos } from './db/repos';
import type { ImageDeps } from './images/setup';
import type { Logger } from './logger';

/** Everything the app needs from outside, passed to `createApp` (no module-level singletons). */
export type Deps = {
  database: Database;
  repos: Repos;
  logger: Logger;
  clock: () => Date;
  /** Behind a reverse proxy: take the client's address from X-Forwarded-For (see client-address.ts). */
  trustProxy?: boolean;
  images: ImageDeps;
};
