/**
 * Load generators for bench/run.ts. Every loop is bounded (a fixed duration or count) and targets 127.0.0.1 only.
 */
import WebSocket from 'ws';

export interface TurnStats {
  turns: number;
  seconds: number;
  turnsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

const TEXTS = ['はい', 'restart'];

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Resolves with the next `count` frames (parsed) a socket receives. */
function frames(ws: WebSocket, count: number, timeoutMs = 10_000): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const got: Record<string, unknown>[] = [];
    const timer = setTimeout(() => {
      ws.off('message', on);
      reject(new Error(`timed out waiting for ${count} frame(s), got ${got.length}`));
    }, timeoutMs);
    const on = (data: WebSocket.RawData) => {
      got.push(JSON.parse(String(data)) as Record<string, unknown>);
      if (got.length === count) {
        clearTimeout(timer);
        ws.off('message', on);
        resolve(got);
      }
    };
    ws.on('message', on);
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/**
 * `conversations` websockets, each a closed loop: send a typed message (はい / restart alternating), wait for the
 * reply, repeat; for warmupMs, then measured for durationMs. `bot` opens each conversation with a hello first
 * (session + first question); against the echo server the same frames simply come back.
 */
export async function turnLoad(
  url: string,
  options: {
    conversations: number;
    warmupMs: number;
    durationMs: number;
    bot: boolean;
    /**
     * Paced instead of closed-loop: each conversation sends one message every intervalMs (staggered), like
     * customers who read the answer before they type. The server is then not saturated, and the latency is
     * a turn's own, not the queue of 49 other conversations' turns in front of it.
     */
    intervalMs?: number;
  },
): Promise<TurnStats> {
  const sockets = await Promise.all(Array.from({ length: options.conversations }, () => open(url)));
  if (options.bot) {
    await Promise.all(
      sockets.map(async (ws) => {
        const reply = frames(ws, 2);
        ws.send(JSON.stringify({ type: 'hello' }));
        const [session, question] = await reply;
        if (session?.type !== 'session' || question?.type !== 'message') throw new Error(`unexpected hello replies: ${JSON.stringify([session, question])}`);
      }),
    );
  }
  const latencies: number[] = [];
  let errors = 0;
  let measuring = false;
  const start = performance.now();
  const warmEnd = start + options.warmupMs;
  const end = warmEnd + options.durationMs;
  let measuredStart = warmEnd;
  await Promise.all(
    sockets.map(async (ws, n) => {
      const interval = options.intervalMs;
      let next = start + (interval ? (n * interval) / sockets.length : 0);
      for (let i = n % 2; performance.now() < end; i++) {
        if (interval) {
          const wait = next - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          next += interval;
          if (performance.now() >= end) break;
        }
        const payload = JSON.stringify({ type: 'message', text: TEXTS[i % 2] });
        const t0 = performance.now();
        const reply = frames(ws, 1);
        ws.send(payload);
        const [frame] = await reply;
        const t1 = performance.now();
        if (options.bot && frame?.type !== 'message') errors++;
        if (t0 >= warmEnd && t1 <= end) {
          if (!measuring) {
            measuring = true;
            measuredStart = t0;
          }
          latencies.push(t1 - t0);
        }
      }
    }),
  );
  for (const ws of sockets) ws.terminate();
  const seconds = (end - Math.min(measuredStart, end)) / 1000 || options.durationMs / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return { turns: latencies.length, seconds, turnsPerSecond: latencies.length / seconds, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), errors };
}

/** Opens `count` conversations (socket + hello answered), `parallel` at a time, and keeps them open. */
export async function openConversations(url: string, count: number, parallel = 200): Promise<{ sockets: WebSocket[]; close(): void }> {
  const sockets: WebSocket[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        next++;
        const ws = await open(url);
        sockets.push(ws);
        const reply = frames(ws, 2, 30_000);
        ws.send(JSON.stringify({ type: 'hello' }));
        await reply;
      }
    }),
  );
  return {
    sockets,
    close() {
      for (const ws of sockets) ws.terminate();
    },
  };
}
