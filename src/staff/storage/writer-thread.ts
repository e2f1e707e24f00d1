/**
 * A staff transcript writer thread, as promises: sqlite-transcript-writer.mjs (the staff file's only writer) or
 * redis-transcript-writer.mjs (its own Redis connection). Both answer the same messages.
 */
import { projectFile } from '../../storage/project-file.ts';
import { startWorkerRpc } from '../../storage/worker-rpc.ts';
import type { TurnEvent } from './types.ts';

export interface WriterThread {
  append(events: TurnEvent[]): Promise<void>;
  erase(reference: string): Promise<string[]>;
  purge(before: number): Promise<number>;
  /** Lets queued writes finish, then stops the thread. */
  close(): Promise<void>;
}

/**
 * The threads' young generation: V8 would let it grow to the main thread's size (tens of MB of RSS each, for
 * a thread whose objects live one batch). Measured: 4 MB costs the threads no CPU and saves 9–22 MB of RSS
 * per thread.
 */
const WRITER_YOUNG_GENERATION_MB = 4;

export function startWriterThread(script: 'sqlite-transcript-writer.mjs' | 'redis-transcript-writer.mjs', workerData: Record<string, unknown>): WriterThread {
  const rpc = startWorkerRpc(projectFile('src', 'staff', 'storage', script), workerData, { maxYoungGenerationSizeMb: WRITER_YOUNG_GENERATION_MB });
  return {
    // As one JSON string: copying a string to the thread is cheaper than structured-cloning the objects.
    append: (events) => rpc.call<void>({ op: 'append', events: JSON.stringify(events) }),
    erase: (reference) => rpc.call<string[]>({ op: 'erase', reference }),
    purge: (before) => rpc.call<number>({ op: 'purge', before }),
    close: () => rpc.close(),
  };
}
