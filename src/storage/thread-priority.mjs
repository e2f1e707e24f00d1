/**
 * Background threads (the staff transcript writers) yield the CPU to the chat: on Linux each lowers its own
 * scheduling priority (nice BACKGROUND_NICE, this thread only; lowering needs no privilege). Woken by the
 * chat's hand-offs, a writer at the chat's priority preempted the event loop mid-turn, and on a busy 2-vCPU
 * machine it took CPU time from everything else running there; lowered, the chat's tail latency drops and no
 * transcript is lost (docs/benchmarks.md). A writer
 * that cannot keep up at all still drops (and logs) what does not fit in the recorder's queue, as it would while
 * storage is down; at nice 10 it still gets about a tenth of a CPU that a busy thread of the chat also wants.
 * Plain JavaScript, like the worker threads that call it.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

export const BACKGROUND_NICE = 10;

/**
 * Lowers the calling thread's priority to `nice` (never raises it: a process started nicer stays so). Returns the
 * thread's id, or undefined where it could not (not Linux, or a sandbox that refuses): the thread then runs as it
 * was — slower for the chat, never broken.
 */
export function lowerThreadPriority(nice = BACKGROUND_NICE) {
  try {
    // "<pid>/task/<tid>": this thread's own entry.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    setPriority(tid, Math.max(getPriority(tid), nice));
    return tid;
  } catch {
    return undefined;
  }
}
