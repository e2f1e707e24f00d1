/**
 * A staff transcript writer thread, as promises: sqlite-transcript-writer.mjs (the staff file's only writer) or
 * redis-transcript-writer.mjs (its own Redis connection). Both answer the same messages (an append's events come
 * in the form each takes best: EVENTS_AS).
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

/**
 * How each thread takes a batch of events. SQLite's writer parses them for their columns: one JSON string of the
 * batch is the cheapest to make, send and parse. Redis's stores each event's JSON: given the batch as one string,
 * it parsed it and turned every event back into JSON, most of its work and garbage for its collector.
 */
const EVENTS_AS = {
  'sqlite-transcript-writer.mjs': (events: TurnEvent[]) => JSON.stringify(events),
  'redis-transcript-writer.mjs': (events: TurnEvent[]) => events.map((event) => JSON.stringify(event)),
};

export function startWriterThread(script: keyof typeof EVENTS_AS, workerData: Record<string, unknown>): WriterThread {
  const rpc = startWorkerRpc(projectFile('src', 'staff', 'storage', script), workerData, { maxYoungGenerationSizeMb: WRITER_YOUNG_GENERATION_MB });
  return {
    // As JSON: copying strings to the thread is cheaper than structured-cloning the objects.
    append: (events) => rpc.call<void>({ op: 'append', events: EVENTS_AS[script](events) }),
    erase: (reference) => rpc.call<string[]>({ op: 'erase', reference }),
    purge: (before) => rpc.call<number>({ op: 'purge', before }),
    close: () => rpc.close(),
  };
}
