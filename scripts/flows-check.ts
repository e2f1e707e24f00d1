/**
 * `npm run flows:check [root]`: validates flows/ and locales/ (the same checks the server runs at start-up)
 * and prints every problem with its file and key. Exit code 0 when the data can go live, 1 otherwise.
 */
import { checkAll } from '../src/flow/check.ts';
import { formatProblem } from '../src/flow/flow-data.ts';

const root = process.argv[2] ?? '.';
const problems = checkAll(root);
if (problems.length === 0) {
  console.log('flows:check: flows/ and locales/ are OK');
} else {
  console.error(`flows:check: ${problems.length} problem(s):\n${problems.map(formatProblem).join('\n')}`);
  process.exitCode = 1;
}
