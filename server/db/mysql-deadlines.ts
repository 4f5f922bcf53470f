import type mysql from 'mysql2/promise';

/**
 * A database that stops answering (a hung host, a network partition that drops packets)
 * must give fast 503s, not requests that hang until TCP gives up minutes later. mysql2
 * bounds only connecting; this bounds the other two waits, for every query drizzle sends:
 * - taking a connection from a full pool (`acquireMs`), and
 * - each statement (`queryMs`). A statement that times out leaves its connection mid-
 *   protocol, so that connection is destroyed rather than handed to the next request.
 * Both failures carry codes that `isDatabaseUnavailable` reads as "try again shortly".
 */
export function withDeadlines(pool: mysql.Pool, limits: { queryMs: number; acquireMs: number }): mysql.Pool {
  async function acquire(): Promise<mysql.PoolConnection> {
    const pending = pool.getConnection();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(unavailable('POOL_ACQUIRE_TIMEOUT', 'no database connection became free in time')),
        limits.acquireMs,
      );
    });
    try {
      return await Promise.race([pending, timeout]);
    } catch (error) {
      // If the connection arrives after all, it goes straight back to the pool.
      pending.then(
        (conn) => conn.release(),
        () => undefined,
      );
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  function bounded(conn: mysql.PoolConnection): mysql.PoolConnection {
    return new Proxy(conn, {
      get(target, prop) {
        if (prop === 'query' || prop === 'execute') {
          return async (options: string | mysql.QueryOptions, values?: unknown) => {
            const opts = typeof options === 'string' ? { sql: options } : options;
            try {
              const run = target[prop] as (o: mysql.QueryOptions, v?: unknown) => Promise<unknown>;
              return await run.call(target, { ...opts, timeout: opts.timeout ?? limits.queryMs }, values);
            } catch (error) {
              if ((error as { code?: unknown }).code === 'PROTOCOL_SEQUENCE_TIMEOUT') target.destroy();
              throw error;
            }
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  return new Proxy(pool, {
    get(target, prop) {
      if (prop === 'getConnection') return async () => bounded(await acquire());
      if (prop === 'query' || prop === 'execute') {
        return async (options: string | mysql.QueryOptions, values?: unknown) => {
          const conn = bounded(await acquire());
          try {
            const run = conn[prop] as (o: string | mysql.QueryOptions, v?: unknown) => Promise<unknown>;
            return await run.call(conn, options, values);
          } finally {
            // A no-op when the statement timed out and the connection was destroyed.
            conn.release();
          }
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function unavailable(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}
