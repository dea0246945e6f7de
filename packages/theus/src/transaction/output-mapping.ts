import { ContractViolationError, SchemaViolationError } from '../errors/index.js';
import { formatPath, isPrefixOf, parsePath, type PathSegments } from '../context/paths.js';
import { isForeignProxy, isPlainObject } from '../context/value-model.js';
import { draftOf } from './draft-node.js';
import { guardedValue } from './readonly-guard.js';
import type { CompiledContract } from '../contract/process.js';
import { isUpdate } from '../contract/update.js';
import type { DraftSessionKind } from './draft-session.js';
import type { RunEffects } from './run-effects.js';
import { assertOutboxRoom, assertTopic, outboxPayload, signalPath } from './topics.js';

/** Where returned outputs are written: a draft session, or the live tree in training mode. */
export interface OutputWriter {
  readonly who: string;
  readonly process: string;
  readonly kind: DraftSessionKind;
  writeAt(path: PathSegments, value: unknown, remove?: boolean): void;
}

/**
 * Applies a process's return value to its draft (returned values win over shadow writes) and
 * returns what `engine.execute` resolves to.
 */
export function mapReturnedOutputs(returned: unknown, contract: CompiledContract, session: OutputWriter, effects: RunEffects): unknown {
  if (returned === undefined) return undefined;
  const outputs = contract.outputPaths;
  if (isUpdate(returned)) {
    for (const [path, value] of Object.entries(returned.values))
      writeDeclared(session, contract, parsePath(path, `${session.who} update()`), value);
    for (const [topic, payload] of Object.entries(returned.signals)) {
      assertTopic(session.who, session.process, 'update({ signals })', topic);
      writeDeclared(session, contract, signalPath(topic), payload, true);
    }
    for (const message of returned.outbox) {
      assertTopic(session.who, session.process, 'update({ outbox })', message.topic);
      assertOutboxRoom(session.who, session.process, effects.outbox.length);
      effects.outbox.push({ topic: message.topic, payload: outboxPayload(session.who, message.topic, message.payload) });
    }
    return returned.result;
  }
  const positional = outputs.length === 0 || !contract.emitsSignals ? outputs : outputs.filter((path) => !isSignalLayer(path));
  if (positional.length === 1) {
    session.writeAt(positional[0] as PathSegments, returned);
    return returned;
  }
  if (positional.length === 0) return returned;
  if (
    typeof returned === 'object' &&
    returned !== null &&
    isForeignProxy(returned) &&
    draftOf(returned) === undefined &&
    guardedValue(returned) === undefined
  ) {
    // Classifying it would run its traps; a Proxy is never state anyway.
    throw new SchemaViolationError(
      'TX_INVALID_VALUE',
      `${session.who} returned a Proxy, which is outside the value model: return plain objects, arrays or update({...}).`,
      { details: { process: session.process } },
    );
  }
  if (Array.isArray(returned)) {
    // One value per positional output: a shorter or longer array is a mistake (a value missing or
    // out of place), not a partial write; `undefined` entries keep their output as it is.
    if (returned.length !== positional.length) {
      const want = `${positional.length} (one per output, in order; undefined leaves an output unchanged)`;
      shapeError(session, contract, `an array of ${returned.length} values where ${want} are expected`);
    }
    returned.forEach((value: unknown, i) => {
      if (value !== undefined) session.writeAt(positional[i] as PathSegments, value);
    });
    return returned;
  }
  if (isPlainObject(returned)) {
    // Keyed by the declared text. `outputs` (parsed) leaves out the `local` paths, which are not
    // state: leave them out of the declared texts too, so that both lists line up.
    const declared = contract.outputs.filter((p) => p !== 'local' && !p.startsWith('local.'));
    const byPath = new Map(declared.map((p, i) => [p, outputs[i] as PathSegments]));
    const keys = Object.keys(returned);
    if (keys.length === 0 || keys.some((k) => !byPath.has(k))) shapeError(session, contract, `an object with keys [${keys.join(', ')}]`);
    for (const key of keys) session.writeAt(byPath.get(key) as PathSegments, returned[key]);
    return returned;
  }
  return shapeError(session, contract, `a single ${typeof returned}`);
}

/** The bare `signal` / `cmd` output only grants `ctx.signal()`; it takes no returned value by position. */
function isSignalLayer(path: PathSegments): boolean {
  return path.length === 1 && (path[0] === 'signal' || path[0] === 'cmd');
}

function writeDeclared(session: OutputWriter, contract: CompiledContract, path: PathSegments, value: unknown, signal = false): void {
  const declared =
    session.kind !== 'process' || contract.outputPaths.some((out) => isPrefixOf(out, path)) || (signal && contract.emitsSignals);
  if (!declared) {
    throw new ContractViolationError(
      'CONTRACT_ILLEGAL_WRITE',
      `${session.who} returned a value for '${formatPath(path)}', which is not among its outputs [${contract.outputs.join(', ')}]: declare it in outputs.`,
      {
        details: { process: session.process, path: formatPath(path) },
      },
    );
  }
  session.writeAt(path, value, value === undefined);
}

function shapeError(session: OutputWriter, contract: CompiledContract, got: string): never {
  throw new ContractViolationError(
    'CONTRACT_RETURN_SHAPE',
    `${session.who} declares ${contract.outputs.length} outputs [${contract.outputs.join(', ')}] but returned ${got}. Return undefined (shadow writes only), an array by position, an object keyed by full output path, or update({...}).`,
    { details: { process: session.process } },
  );
}
