/**
 * The agent answers its question twice: as a workflow loop, then as a state machine driven by
 * its own signals. Then it runs once more with a budget too small to finish. `npm start` runs this file.
 */
import { initialContext } from './context.js';
import { createAgent } from './engine.js';
import { runLoop, runMachine } from './runs.js';

const loop = createAgent();
console.log(`Question: ${loop.state.domain.question}`);
const run = await runLoop(loop);
for (const entry of loop.state.domain.log_trace) console.log(`  ${entry.step} ${entry.phase.padEnd(7)} ${entry.detail}`);
console.log(`Workflow ${run.status} in ${run.ops} operations: ${loop.state.domain.answer ?? '(no answer)'}`);
await loop.close();

const driven = createAgent();
const machine = await runMachine(driven);
console.log(`Machine: ${['IDLE', ...machine.history.map((move) => move.to)].join(' → ')}`);
console.log(`Machine answer: ${driven.state.domain.answer ?? '(no answer)'}`);
await driven.close();

const context = initialContext();
const hurried = createAgent({ ...context, global: { const_max_steps: 2 } });
await runLoop(hurried);
console.log(`With a budget of 2 steps: ${hurried.state.domain.status}, after ${hurried.state.domain.steps} steps`);
await hurried.close();
