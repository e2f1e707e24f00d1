/**
 * Background threads (the staff transcript writers) yield the CPU to the chat: on Linux each lowers its own
 * scheduling priority (nice BACKGROUND_NICE, this thread only; lowering needs no privilege). Woken by the
 * chat's hand-offs, a writer at the chat's priority preempted the event loop mid-turn, and on a busy 2-vCPU
 * machine it took CPU time from everything else running there. Measured (the bench's closed loop, SQLite, five
 * A/B pairs): turns/s −0.4 to +17 %, +8 % on average, p99 lower in every pair, no transcript dropped. A writer
 * that cannot keep up at all still drops (and logs) what does not fit in the recorder's queue, as it would while
 * storage is down; at nice 10 it still gets about a tenth of a CPU that a busy thread of the chat also wants.
 * Plain JavaScript, like the worker threads that call it.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

export const BACKGROUND_NICE = 10;

/** Lowers the calling thread's priority; returns its thread id, or undefined where threads cannot be told apart (not Linux). */
export function lowerThreadPriority(nice = BACKGROUND_NICE) {
  let tid;
  try {
    // "<pid>/task/<tid>": this thread's own entry.
    tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return undefined;
  }
  setPriority(tid, nice);
  return tid;
}
