/**
 * Work that arrives during one pass of the event loop (each frame read from a socket) is run together, at the
 * end of that pass (setImmediate), in arrival order — not in the socket's read callback, one turn after another.
 *
 * Why: a turn passes through some twenty async layers (the gateway, Botkit, the service, the store). Started one
 * by one in their read callbacks, each turn ran through all of them before the next frame was even read. Started
 * together, the turns of a pass step through each layer side by side (every await lets the others catch up), so
 * the same code runs many times in a row while it is hot (docs/benchmarks.md, "Design decisions for speed"). A
 * lone frame waits only for the end of its own pass; its write then goes out one pass later.
 */
export interface PassQueue {
  /** Runs `work` at the end of the current pass, after the work added before it. */
  add(work: () => void): void;
}

/** `onError`: what a work item threw (the items after it still run). */
export function createPassQueue(onError: (error: unknown) => void): PassQueue {
  let queued: (() => void)[] = [];
  const runQueued = () => {
    const pass = queued;
    queued = [];
    for (const work of pass) {
      try {
        work();
      } catch (error) {
        onError(error);
      }
    }
  };
  return {
    add(work) {
      if (queued.push(work) === 1) setImmediate(runQueued);
    },
  };
}
