import { describe, expect, it } from 'vitest';
import { ContractViolationError } from 'theus';
import { addTodo, completeTodo } from '../src/processes/todos.js';
import { app, initialState } from '../src/state.js';

function createEngine() {
  return app.engine({ context: initialState(), processes: [addTodo, completeTodo] });
}

describe('the todo processes', () => {
  it('add todos with increasing ids, one commit each', async () => {
    const engine = createEngine();
    expect(await engine.execute(addTodo, { title: 'one' })).toBe(1);
    expect(await engine.execute(addTodo, { title: 'two' })).toBe(2);
    expect(engine.state.domain.todos.map((todo) => todo.title)).toEqual(['one', 'two']);
    expect(engine.version).toBe(2);
  });

  it('complete a todo', async () => {
    const engine = createEngine();
    const id = await engine.execute(addTodo, { title: 'one' });
    await engine.execute(completeTodo, { id });
    expect(engine.state.domain.todos).toEqual([{ id, title: 'one', done: true }]);
  });

  it('refuse an empty title and an unknown id without changing anything', async () => {
    const engine = createEngine();
    await engine.execute(addTodo, { title: 'one' });
    const before = engine.state;
    await expect(engine.execute(addTodo, { title: '  ' })).rejects.toThrow(RangeError);
    await expect(engine.execute(completeTodo, { id: 42 })).rejects.toThrow('There is no todo #42');
    expect(engine.state).toBe(before);
    expect(engine.version).toBe(1);
  });

  it('keep the committed state frozen and deny undeclared reads', async () => {
    const engine = createEngine();
    await engine.execute(addTodo, { title: 'one' });
    expect(Object.isFrozen(engine.state.domain.todos)).toBe(true);
    const sneaky = app.process(
      { name: 'sneaky', inputs: ['domain.todos'] },
      (ctx) => (ctx as unknown as { domain: { next_id: number } }).domain.next_id,
    );
    await expect(engine.execute(sneaky)).rejects.toBeInstanceOf(ContractViolationError);
  });
});
