/**
 * `npm run flows:check [root]`: loads flows/ and locales/ as the server does at start-up (src/flow/load.ts) and
 * prints every problem with its file and key. Exit code 0 when the data can go live, 1 otherwise.
 */
import { formatProblem } from '../src/flow/flow-data.ts';
import { loadData } from '../src/flow/load.ts';

const load = loadData(process.argv[2]);
if (load.ok) {
  console.log('flows:check: flows/ and locales/ are OK');
} else {
  console.error(`flows:check: ${load.problems.length} problem(s):\n${load.problems.map(formatProblem).join('\n')}`);
  process.exitCode = 1;
}
