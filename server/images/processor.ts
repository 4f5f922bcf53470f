import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ErrorCode } from '../../shared/errors';
import { AppError } from '../errors';
import { createLimiter } from './limiter';
import type { ProcessedImage } from './process';
import type { SniffedType } from './sniff';
import type { VariantFormat } from './variants';

export type WorkerJob =
  | { kind: 'process'; input: string; type: SniffedType; output: string }
  | {
      kind: 'variants';
      input: string;
      format: VariantFormat;
      animated: boolean;
      outputs: { width: number; path: string }[];
    };
export type WorkerRequest = { id: number; job: WorkerJob };
export type WorkerReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; code: ErrorCode | null; message: string; fields?: Record<string, string> };

export type ImageProcessor = {
  process(input: string, type: SniffedType, output: string): Promise<ProcessedImage>;
  variants(
    input: string,
    options: Omit<Extract<WorkerJob, { kind: 'variants' }>, 'kind' | 'input'>,
  ): Promise<void>;
  close(): Promise<void>;
};

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * glibc's allocator keeps freed libvips buffers in per-thread arenas, so a process that
 * decodes images grows by hundreds of MB and never gives it back. The worker hands large
 * blocks back to the system at once (mmap above 128 KB) and uses at most two arenas.
 */
const ALLOCATOR_ENV = {
  MALLOC_MMAP_THRESHOLD_: '131072',
  MALLOC_TRIM_THRESHOLD_: '131072',
  MALLOC_ARENA_MAX: '1',
  UV_THREADPOOL_SIZE: '1',
};

/**
 * Runs image jobs in one child process (worker.ts), one job at a time: memory holds one
 * decode however many uploads arrive together, and a hostile file that crashes or hangs the
 * decoder costs a worker (restarted for the next job), never the API process. The worker is
 * started on the first job and ended by `close`.
 */
export function createImageProcessor(options: { jobTimeoutMs?: number } = {}): ImageProcessor {
  const timeoutMs = options.jobTimeoutMs ?? 120_000;
  const oneAtATime = createLimiter(1);
  let child: ChildProcess | undefined;
  let nextId = 1;

  function start(): ChildProcess {
    const worker = fork(WORKER, [], {
      execArgv: ['--import', TSX],
      env: { ...process.env, ...ALLOCATOR_ENV },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'json',
    });
    worker.once('exit', () => {
      if (child === worker) child = undefined;
    });
    // An idle worker must not keep the process alive; a job in flight refs the channel.
    worker.unref();
    worker.channel?.unref();
    return worker;
  }

  function run<T>(job: WorkerJob): Promise<T> {
    return oneAtATime(
      () =>
        new Promise<T>((resolve, reject) => {
          const worker = (child ??= start());
          const id = nextId++;
          const finish = (settle: () => void) => {
            clearTimeout(timer);
            worker.off('message', onMessage);
            worker.off('exit', onExit);
            worker.channel?.unref();
            settle();
          };
          const onMessage = (reply: WorkerReply) => {
            if (reply.id !== id) return;
            if (reply.ok) finish(() => resolve(reply.result as T));
            else if (reply.code)
              finish(() => reject(new AppError(reply.code as ErrorCode, reply.message, reply.fields)));
            else finish(() => reject(new Error(`image worker: ${reply.message}`)));
          };
          const onExit = () =>
            finish(() => reject(new AppError('invalid_image', 'The image could not be processed.')));
          const timer = setTimeout(() => {
            worker.kill('SIGKILL');
            finish(() => reject(new AppError('invalid_image', 'The image took too long to process.')));
          }, timeoutMs);
          worker.on('message', onMessage);
          worker.once('exit', onExit);
          worker.channel?.ref();
          worker.send({ id, job } satisfies WorkerRequest);
        }),
    );
  }

  return {
    process: (input, type, output) => run<ProcessedImage>({ kind: 'process', input, type, output }),
    variants: (input, variantOptions) => run<void>({ kind: 'variants', input, ...variantOptions }),
    async close() {
      const worker = child;
      child = undefined;
      if (!worker || worker.exitCode !== null || worker.signalCode !== null) return;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.kill('SIGTERM');
      await exited;
    },
  };
}
