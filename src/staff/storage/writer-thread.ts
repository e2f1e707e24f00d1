/** The staff transcript file's writer thread (transcript-writer.mjs), as promises. */
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

export function startWriterThread(file: string): WriterThread {
  const rpc = startWorkerRpc(projectFile('src', 'staff', 'storage', 'transcript-writer.mjs'), { file });
  return {
    // As one JSON string: copying a string to the thread is cheaper than structured-cloning the objects.
    append: (events) => rpc.call<void>({ op: 'append', events: JSON.stringify(events) }),
    erase: (reference) => rpc.call<string[]>({ op: 'erase', reference }),
    purge: (before) => rpc.call<number>({ op: 'purge', before }),
    close: () => rpc.close(),
  };
}
