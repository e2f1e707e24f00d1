/** The baseline: a bare `ws` echo server on 127.0.0.1, same library and options as ours. Run as a child process by bench/run.ts. */
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? 0);
const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, maxPayload: 16 * 1024 });
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
});
wss.on('listening', () => console.log(`echo listening on ${port}`));
process.on('SIGTERM', () => wss.close(() => process.exit(0)));
