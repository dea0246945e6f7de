/**
 * Runs the two processes on a fresh engine and prints what each commit changed.
 * `npm start` runs this file.
 */
import { addTodo, completeTodo } from './processes/todos.js';
import { app, initialState } from './state.js';

const engine = app.engine({ context: initialState(), processes: [addTodo, completeTodo] });
engine.on('commit', (event) => console.log(`  commit v${event.version} by ${event.process}`));

const first = await engine.execute(addTodo, { title: 'Read the Theus docs' });
const second = await engine.execute(addTodo, { title: 'Write a process' });
await engine.execute(completeTodo, { id: first });

try {
  await engine.execute(completeTodo, { id: 99 });
} catch (error) {
  console.log(`  refused: ${(error as Error).message} (still version ${engine.version})`);
}

for (const todo of engine.state.domain.todos) console.log(`[${todo.done ? 'x' : ' '}] #${todo.id} ${todo.title}`);
console.log(`${engine.state.domain.todos.length} todos, #${second} still open, version ${engine.version}`);
await engine.close();
