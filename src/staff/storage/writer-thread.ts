/** Runs transcript-writer.mjs on a worker thread and turns its messages into promises. */
import { Worker } from 'node:worker_threads';
import { projectFile } from '../../storage/project-file.ts';
import type { TurnEvent } from './types.ts';

export interface WriterThread {
  append(events: TurnEvent[]): Promise<void>;
  erase(reference: string): Promise<string[]>;
  purge(before: number): Promise<number>;
  /** Lets queued writes finish, then stops the thread. */
  close(): Promise<void>;
}

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export function startWriterThread(file: string): WriterThread {
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let worker: Worker | undefined;
  let exited: Promise<void> = Promise.resolve();

  /** A thread that died (it should not) is replaced on the next write; what it had not answered fails. */
  function thread(): Worker {
    if (worker) return worker;
    const started = new Worker(projectFile('src', 'staff', 'storage', 'transcript-writer.mjs'), { workerData: { file } });
    started.unref();
    started.on('message', (reply: Reply) => {
      const waiter = waiting.get(reply.id);
      if (!waiter) return;
      waiting.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(new Error(reply.error));
    });
    const gone = (error: Error) => {
      if (worker === started) worker = undefined;
      for (const waiter of waiting.values()) waiter.reject(error);
      waiting.clear();
    };
    started.on('error', gone);
    exited = new Promise((resolve) => started.once('exit', () => (gone(new Error('transcript writer thread stopped')), resolve())));
    worker = started;
    return started;
  }

  function call<T>(message: Record<string, unknown>): Promise<T> {
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      // The thread is unref'd so it never holds the process open; a write in flight keeps it referenced.
      const w = thread();
      w.ref();
      w.postMessage({ id, ...message });
    }).finally(() => {
      if (waiting.size === 0) worker?.unref();
    });
  }

  return {
    // As one JSON string: copying a string to the thread is cheaper than structured-cloning the objects.
    append: (events) => call<void>({ op: 'append', events: JSON.stringify(events) }),
    erase: (reference) => call<string[]>({ op: 'erase', reference }),
    purge: (before) => call<number>({ op: 'purge', before }),
    async close() {
      if (!worker) return;
      // Messages are handled in order, so 'close' runs after every write already posted. Referenced while
      // closing: otherwise a process with nothing else left would exit (code 0) before the thread has.
      worker.ref();
      worker.postMessage({ op: 'close' });
      await exited;
    },
  };
}
