import { app } from '../state.js';

/** Adds a todo and resolves to its id. An empty title is refused: the run throws and commits nothing. */
export const addTodo = app.process(
  {
    name: 'add_todo',
    inputs: ['domain.todos', 'domain.next_id'],
    outputs: ['domain.todos', 'domain.next_id'],
    errors: ['RangeError'],
  },
  (ctx, args: { title: string }) => {
    const title = args.title.trim();
    if (title === '') throw new RangeError('A todo needs a title');
    const id = ctx.domain.next_id;
    // Shadow writes: they go to a copy-on-write draft, committed only if the run succeeds.
    ctx.domain.todos.push({ id, title, done: false });
    ctx.domain.next_id = id + 1;
    return app.update({}, { result: id });
  },
);

/** Marks a todo as done. With one declared output, the returned value is that output's new value. */
export const completeTodo = app.process(
  { name: 'complete_todo', inputs: ['domain.todos'], outputs: ['domain.todos'], errors: ['RangeError'] },
  (ctx, args: { id: number }) => {
    if (!ctx.domain.todos.some((todo) => todo.id === args.id)) throw new RangeError(`There is no todo #${args.id}`);
    return ctx.domain.todos.map((todo) => (todo.id === args.id ? { ...todo, done: true } : todo));
  },
);
