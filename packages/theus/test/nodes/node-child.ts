/**
 * One node of the multi-process tests: a child process (`node --import tsx node-child.ts
 * '<NodeOptions as JSON>'`, with an IPC channel) that opens an engine on `postgresStore({ url,
 * schema })` with the fixed context and processes of `node-model.ts`, sends `ready`, then obeys the
 * commands of `node-protocol.ts` until it is told to close (or is killed).
 *
 * @packageDocumentation
 */
import { Engine } from 'theus';
import { postgresStore } from 'theus/store/postgres';
import { ACCOUNTS, append, attempts, CONTEXT, increment, own, PROCESSES, transfer, type NodeState, type OpKind } from './node-model.js';
import type { Command, Failure, Message, NodeOptions, Operation, Reply } from './node-protocol.js';

const options = JSON.parse(process.argv[2] ?? '{}') as NodeOptions;

function send(message: Message): void {
  if (process.connected) process.send?.(message);
}

// An error outside any command (the engine failed to open, a bug): reported, then the child ends.
process.on('uncaughtException', (error) => {
  const exit = (): never => process.exit(1);
  if (process.connected && process.send !== undefined)
    process.send({ type: 'fatal', message: error.stack ?? String(error) } satisfies Message, exit);
  else exit();
});

const engine = await Engine.open<NodeState>({
  context: CONTEXT,
  processes: PROCESSES,
  store: postgresStore({ url: options.url, schema: options.schema }),
  ...(options.maxRetries === undefined ? {} : { conflict: { maxRetries: options.maxRetries } }),
});
let conflicts = 0;
engine.on('conflict', () => conflicts++);

/** The operation `k` of the `run` command `id`. */
function operationOf(kind: OpKind, id: number, k: number): Operation {
  switch (kind) {
    case 'increment':
      return { op: 'increment' };
    case 'transfer': {
      const from = Math.floor(Math.random() * ACCOUNTS.length);
      const to = (from + 1 + Math.floor(Math.random() * (ACCOUNTS.length - 1))) % ACCOUNTS.length;
      // Up to 60 of the 100 an account opens with: some transfers overdraw and are refused.
      return { op: 'transfer', from: ACCOUNTS[from] ?? 'a', to: ACCOUNTS[to] ?? 'b', amount: 1 + Math.floor(Math.random() * 60) };
    }
    case 'append':
      return { op: 'append', item: `${options.name}.${id}.${k}` };
    case 'own':
      return { op: 'own', node: options.name, key: `${id}.${k}`, value: k };
  }
}

async function execute(operation: Operation): Promise<void> {
  switch (operation.op) {
    case 'increment':
      await engine.execute(increment);
      return;
    case 'transfer':
      await engine.execute(transfer, { from: operation.from, to: operation.to, amount: operation.amount });
      return;
    case 'append':
      await engine.execute(append, { item: operation.item });
      return;
    case 'own':
      await engine.execute(own, { node: operation.node, key: operation.key, value: operation.value });
      return;
  }
}

async function run(command: Extract<Command, { type: 'run' }>): Promise<Reply> {
  let next = 0;
  let acknowledged = 0;
  const failures: Failure[] = [];
  const writer = async (): Promise<void> => {
    while (next < command.count) {
      const k = next++;
      const operation = operationOf(command.kinds[k % command.kinds.length] ?? 'increment', command.id, k);
      try {
        await execute(operation);
      } catch (error) {
        const { name, message, code } = error as { name?: unknown; message?: unknown; code?: unknown };
        failures.push({
          op: operation.op,
          name: String(name),
          code: typeof code === 'string' ? code : undefined,
          message: String(message),
        });
        continue;
      }
      acknowledged++;
      send({ type: 'ack', id: command.id, operation });
    }
  };
  await Promise.all(Array.from({ length: command.writers }, writer));
  return { type: 'ran', id: command.id, acknowledged, failures };
}

async function waitFor(command: Extract<Command, { type: 'wait' }>): Promise<Reply> {
  const deadline = Date.now() + command.timeoutMs;
  while (engine.version < command.version) {
    if (Date.now() > deadline) {
      return {
        type: 'error',
        id: command.id,
        message: `node ${options.name} is at version ${engine.version}, not ${command.version}, after ${command.timeoutMs} ms`,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { type: 'reached', id: command.id, version: engine.version };
}

async function obey(command: Command): Promise<Reply> {
  switch (command.type) {
    case 'run':
      return run(command);
    case 'status':
      return {
        type: 'status',
        id: command.id,
        status: { version: engine.version, state: engine.state as NodeState, conflicts, attempts: { ...attempts } },
      };
    case 'wait':
      return waitFor(command);
    case 'close':
      await engine.close();
      return { type: 'closed', id: command.id };
  }
}

process.on('message', (command: Command) => {
  obey(command).then(
    (reply) => {
      if (command.type === 'close' && process.connected) process.send?.(reply, () => process.disconnect());
      else send(reply);
    },
    (error: unknown) =>
      send({ type: 'error', id: command.id, message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
send({ type: 'ready', version: engine.version });
