import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/** The real server as a child process, so its memory can be read from /proc on its own. */
export async function spawnServer(
  env: Record<string, string>,
): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'serve'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.includes('"msg":"listening"')) resolve(JSON.parse(line).url as string);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  // Keep draining the request log so the child never blocks on a full pipe.
  child.stdout!.resume();
  return {
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resident memory of a process and all its descendants (the image worker), in bytes. */
export async function rss(pid: number): Promise<number> {
  let total = 0;
  for (const id of await tree(pid)) {
    const status = await readFile(`/proc/${id}/status`, 'utf8').catch(() => '');
    total += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  }
  return total;
}

async function tree(pid: number): Promise<number[]> {
  const ids = [pid];
  for (const task of await readdir(`/proc/${pid}/task`).catch(() => [])) {
    const children = await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '');
    for (const child of children.split(' ').filter(Boolean)) ids.push(...(await tree(Number(child))));
  }
  return ids;
}

export async function signUp(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `bench${Date.now()}@example.org`, password: 'correct horse battery' }),
  });
  return ((await res.json()) as { token: string }).token;
}

export const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;
