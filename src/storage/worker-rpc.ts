/**
 * A worker thread that answers numbered messages, as promises: for work that runs beside the event loop, such
 * as the staff transcript writers (src/staff/storage/*-transcript-writer.mjs, served by worker-loop.mjs).
 * Messages are handled in order. The thread never holds the process open except while a call is in flight or
 * it is closing; a thread that dies (it should not) fails what it had not answered and is started again on
 * the next call.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';

export interface WorkerRpc {
  /** `message` has an `op` and its arguments; `id` is the call's own number (do not use it for an argument). */
  call<T>(message: Record<string, unknown>): Promise<T>;
  /** Lets every call already made finish, then stops the thread (its `close` operation runs last). */
  close(): Promise<void>;
}

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export function startWorkerRpc(script: string, workerData: unknown, resourceLimits?: ResourceLimits): WorkerRpc {
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let worker: Worker | undefined;
  let exited: Promise<void> = Promise.resolve();

  function unrefWhenIdle() {
    if (waiting.size === 0) worker?.unref();
  }

  function thread(): Worker {
    if (worker) return worker;
    const started = new Worker(script, { workerData, ...(resourceLimits ? { resourceLimits } : {}) });
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
    exited = new Promise((resolve) => started.once('exit', () => (gone(new Error(`worker thread ${script} stopped`)), resolve())));
    worker = started;
    return started;
  }

  return {
    call<T>(message: Record<string, unknown>): Promise<T> {
      const id = nextId++;
      // `message` is not captured by any closure here: closures of one call share its scope, and the pending
      // answer would keep a large message (a batch of transcript events) alive until the thread replies.
      const answer = new Promise<T>((resolve, reject) => waiting.set(id, { resolve: resolve as (value: unknown) => void, reject }));
      try {
        const w = thread();
        w.ref();
        w.postMessage({ ...message, id });
      } catch (error) {
        waiting.get(id)?.reject(error instanceof Error ? error : new Error(String(error)));
        waiting.delete(id);
      }
      return answer.finally(unrefWhenIdle);
    },
    async close() {
      if (!worker) return;
      // Referenced while closing: otherwise a process with nothing else left would exit (code 0) before the thread has.
      worker.ref();
      worker.postMessage({ op: 'close' });
      await exited;
    },
  };
}
