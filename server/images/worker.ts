/**
 * The image worker: a child process that decodes and encodes images for the API process
 * (see processor.ts). Untrusted files are decoded here, so a crash or a runaway decode costs
 * this process, not the API. Jobs arrive one at a time over IPC.
 */
import sharp from 'sharp';
import { AppError } from '../errors';
import { processImage } from './process';
import type { WorkerReply, WorkerRequest } from './processor';
import { writeVariants } from './variants';

// libvips' operation cache only helps repeated work on the same input; uploads never repeat.
sharp.cache(false);
// One libvips thread: memory stays at one pipeline's buffers. (sharp would pick 2 here,
// because it reads MALLOC_ARENA_MAX in the environment as a tuned allocator.)
sharp.concurrency(1);

process.on('message', (message: WorkerRequest) => {
  const { id, job } = message;
  const work =
    job.kind === 'process' ? processImage(job.input, job.type, job.output) : writeVariants(job.input, job);
  work.then(
    (result) => reply({ id, ok: true, result: result ?? null }),
    (error: unknown) =>
      reply(
        error instanceof AppError
          ? { id, ok: false, code: error.code, message: error.message, fields: error.fields }
          : { id, ok: false, code: null, message: String(error) },
      ),
  );
});

function reply(message: WorkerReply): void {
  process.send?.(message);
}

// The API process went away: nothing left to work for.
process.on('disconnect', () => process.exit(0));
