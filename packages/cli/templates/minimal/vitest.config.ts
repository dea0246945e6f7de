import { defineConfig } from 'vitest/config';

// The project's own test configuration: without it, Vitest would use one found in a parent folder.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'] },
});
