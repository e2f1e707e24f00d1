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
 * `conversations` websockets, each a closed loop: send a typed message as the widget sends it (with the
 * conversation's id, channel and language; `texts` in turn, by default はい / restart), wait for the reply,
 * repeat; for warmupMs, then measured for durationMs. `bot` opens each conversation with a hello first
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
    /** What each conversation types, in turn, over and over (default はい / restart). */
    texts?: readonly string[];
  },
): Promise<TurnStats> {
  const sockets = await Promise.all(Array.from({ length: options.conversations }, () => open(url)));
  // Each conversation's id, as the widget keeps it (from the session frame) and sends it with every message;
  // the echo gets frames of the same shape and size with a made-up id.
  const users = sockets.map(() => `${'e'.repeat(22)}.${'e'.repeat(22)}`);
  if (options.bot) {
    await Promise.all(
      sockets.map(async (ws, n) => {
        const reply = frames(ws, 2);
        ws.send(JSON.stringify({ type: 'hello', channel: 'webchat', lang: 'ja' }));
        const [session, question] = await reply;
        if (session?.type !== 'session' || question?.type !== 'message') throw new Error(`unexpected hello replies: ${JSON.stringify([session, question])}`);
        users[n] = String(session.user);
      }),
    );
  }
  const latencies: number[] = [];
  let errors = 0;
  let measuredStart = Infinity;
  const start = performance.now();
  const warmEnd = start + options.warmupMs;
  const end = warmEnd + options.durationMs;
  // The frame src/widget/widget.ts sends for a typed message.
  const texts = options.texts ?? TEXTS;
  const payloads = users.map((user) => texts.map((text) => JSON.stringify({ type: 'message', user, text, channel: 'webchat', lang: 'ja' })));
  // One listener per socket for the whole run, no promise or timer per message (one watchdog instead): the
  // client's own work per message is part of every latency it measures and, on a 2-vCPU machine, takes CPU from
  // the server. With a promise, a 10 s timer and a listener per message, the "bare ws echo" measured mostly
  // this client: 19,000–28,000 msg/s on a 2-vCPU machine, where this loop drives the same echo server at
  // 29,800–40,200.
  const waitingSince = new Float64Array(sockets.length).fill(NaN);
  let watchdog: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => {
    watchdog = setInterval(() => {
      const now = performance.now();
      const i = waitingSince.findIndex((t) => now - t > 10_000);
      if (i >= 0) reject(new Error(`conversation ${i}: no reply within 10 s`));
    }, 1000);
  });
  const runs = sockets.map(
    (ws, n) =>
      new Promise<void>((resolve) => {
        const interval = options.intervalMs;
        let next = start + (interval ? (n * interval) / sockets.length : 0);
        let i = n % texts.length;
        let t0 = 0;
        const finish = () => {
          ws.off('message', onReply);
          waitingSince[n] = NaN;
          resolve();
        };
        const send = () => {
          if (performance.now() >= end) return finish();
          t0 = performance.now();
          waitingSince[n] = t0;
          ws.send(payloads[n]![i++ % texts.length]!);
        };
        const sendNext = () => {
          if (!interval) return send();
          const wait = next - performance.now();
          next += interval;
          if (wait > 0) {
            waitingSince[n] = NaN;
            setTimeout(send, wait);
          } else send();
        };
        const onReply = (data: WebSocket.RawData) => {
          const t1 = performance.now();
          const frame = JSON.parse(String(data)) as Record<string, unknown>;
          if (options.bot && frame.type !== 'message') errors++;
          if (t0 >= warmEnd && t1 <= end) {
            measuredStart = Math.min(measuredStart, t0);
            latencies.push(t1 - t0);
          }
          sendNext();
        };
        ws.on('message', onReply);
        sendNext();
      }),
  );
  try {
    await Promise.race([Promise.all(runs), stuck]);
  } finally {
    clearInterval(watchdog);
  }
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
