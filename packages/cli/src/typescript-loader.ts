import { register } from 'tsx/esm/api';

let registered = false;

/**
 * Lets this process import the user's TypeScript modules (process files, schema modules) the way
 * `tsx` runs them, with the project's tsconfig from the working directory. Registered once, for
 * the whole process, because `theus/node` imports process modules itself (`engine.scan`).
 */
export function registerTypeScript(): void {
  if (registered) return;
  register();
  registered = true;
}
