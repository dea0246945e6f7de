import { createTheus } from 'theus';

/** One thing to do. */
export interface Todo {
  id: number;
  title: string;
  done: boolean;
}

/** The whole state of the app: Theus keeps it frozen and versioned, and only processes change it. */
export interface TodoState {
  domain: {
    todos: Todo[];
    next_id: number;
  };
}

/** The typed front door: every path a process declares is checked against `TodoState`. */
export const app = createTheus<TodoState>();

/** The state a new engine starts from. */
export function initialState(): TodoState {
  return { domain: { todos: [], next_id: 1 } };
}
