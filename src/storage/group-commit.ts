/**
 * Group commit: the writes asked for in one pass of the event loop (until setImmediate, as ioredis'
 * auto-pipelining does) go out as one call. Each caller still waits for, and gets, its own write's result,
 * so a turn is answered only once its write is acknowledged; when the call fails, every write in it fails.
 */
export function groupCommit<W, R>(maxGroup: number, send: (group: W[]) => Promise<R[]>): (write: W) => Promise<R> {
  let group: { write: W; resolve(result: R): void; reject(error: unknown): void }[] = [];
  const flush = () => {
    if (group.length === 0) return; // already sent when it filled up
    const sent = group;
    group = [];
    let reply: Promise<R[]>;
    try {
      reply = send(sent.map((g) => g.write));
    } catch (error) {
      reply = Promise.reject(error);
    }
    reply
      .then((results) => {
        if (results.length !== sent.length) throw new Error(`group commit: ${results.length} results for ${sent.length} writes`);
        sent.forEach((g, i) => g.resolve(results[i]!));
      })
      .catch((error: unknown) => sent.forEach((g) => g.reject(error)));
  };
  return (write) =>
    new Promise<R>((resolve, reject) => {
      if (group.push({ write, resolve, reject }) === 1) setImmediate(flush);
      else if (group.length >= maxGroup) flush();
    });
}
