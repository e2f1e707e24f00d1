/**
 * The message loop of a worker thread started by worker-rpc.ts: runs `operations[m.op](m)` for each message in
 * order and answers { id, ok: true, result } or { id, ok: false, error }; { op: 'close' } runs `close()` (which may
 * return a promise) and ends the thread. An operation may return a promise: the messages after it are handled
 * meanwhile, in order, and its answer goes out when the promise settles. Plain JavaScript, like the workers
 * that use it, so the same files run under the test runner, `npm run start:dev` and the server bundle.
 */
import { parentPort } from 'node:worker_threads';

export function serve(operations, close) {
  parentPort.on('message', (m) => {
    if (m.op === 'close') {
      // close() may return a promise (a connection to shut); the thread ends once it settles, after the
      // answers it settled (promise callbacks run before an immediate). A library may leave a timer behind
      // (ioredis, closed while reconnecting, kept the thread 2 s): what is still running then is stopped.
      const ended = () =>
        setImmediate(() => {
          parentPort.close();
          setTimeout(() => process.exit(0), 100).unref();
        });
      try {
        Promise.resolve(close()).then(ended, ended);
      } catch {
        ended();
      }
      return;
    }
    // The answer's callbacks hold the id only: a message (a batch of transcript events) must not live as long as
    // the write it asked for.
    const id = m.id;
    const fail = (error) => parentPort.postMessage({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
    try {
      const operation = operations[m.op];
      if (!operation) throw new Error(`unknown operation ${m.op}`);
      const result = operation(m);
      if (result instanceof Promise) result.then((settled) => parentPort.postMessage({ id, ok: true, result: settled }), fail);
      else parentPort.postMessage({ id, ok: true, result });
    } catch (error) {
      fail(error);
    }
  });
}
