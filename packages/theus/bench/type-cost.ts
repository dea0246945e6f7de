/**
 * Type-checking cost of the typed front door: generates a large state type and many typed
 * processes, type-checks them in memory with the TypeScript API, and reports the checker's
 * instantiation count (deterministic, unlike time) next to a hand-typed baseline of the same code.
 *
 * @packageDocumentation
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The size of the generated program. */
export interface TypeCostShape {
  /** Top-level layers (`domain`, `global`, then `ns1`, `ns2`, ...). */
  readonly layers: number;
  /** Fields per object, at every level. */
  readonly fields: number;
  /** Object nesting below each layer. */
  readonly depth: number;
  /** Typed processes, each with 3 inputs and 2 outputs. */
  readonly processes: number;
}

/** What one program cost the checker. */
export interface TypeCost {
  readonly instantiations: number;
  readonly types: number;
  readonly checkMs: number;
  readonly diagnostics: readonly string[];
}

const SOURCE_INDEX = fileURLToPath(new URL('../src/index.ts', import.meta.url)).replace(/\.ts$/, '.js');

function layerName(i: number): string {
  return i === 0 ? 'domain' : i === 1 ? 'global' : `ns${String(i)}`;
}

function objectType(fields: number, depth: number): string {
  if (depth === 0) return '{ ' + Array.from({ length: fields }, (_, i) => `f${String(i)}: number;`).join(' ') + ' }';
  const inner = objectType(fields, depth - 1);
  return (
    '{ ' + Array.from({ length: fields }, (_, i) => (i === 0 ? `n${String(i)}: ${inner};` : `f${String(i)}: number;`)).join(' ') + ' }'
  );
}

/** A deep path to a numeric leaf of the generated state: `layer.n0.n0...fK`. */
function leafPath(shape: TypeCostShape, p: number, k: number): string {
  const layer = layerName(p % shape.layers);
  return [layer, ...Array.from({ length: shape.depth }, () => 'n0'), `f${String(1 + ((p + k) % (shape.fields - 1)))}`].join('.');
}

function stateType(shape: TypeCostShape): string {
  const body = Array.from({ length: shape.layers }, (_, i) => `  ${layerName(i)}: ${objectType(shape.fields, shape.depth)};`).join('\n');
  return `interface State {\n${body}\n}\n`;
}

/** The generated program using `createTheus<State>()`: paths checked, ctx narrowed. */
export function typedProgram(shape: TypeCostShape): string {
  const processes = Array.from({ length: shape.processes }, (_, p) => {
    const [a, b, c, out1, out2] = [0, 1, 2, 3, 4].map((k) => leafPath(shape, p, k)) as [string, string, string, string, string];
    return `export const p${String(p)} = t.process({ name: 'p${String(p)}', inputs: ['${a}', '${b}', '${c}'], outputs: ['${out1}', '${out2}'] }, (ctx) => {
  const sum = ctx.${a} + ctx.${b} + ctx.${c};
  ctx.${out1} = sum;
  ctx.${out2} = sum * 2;
});`;
  });
  return `import { createTheus } from '${SOURCE_INDEX}';\n${stateType(shape)}const t = createTheus<State>();\n${processes.join('\n')}\n`;
}

/** The same processes written by hand against the plain `State` type: the baseline cost. */
export function baselineProgram(shape: TypeCostShape): string {
  const processes = Array.from({ length: shape.processes }, (_, p) => {
    const [a, b, c, out1, out2] = [0, 1, 2, 3, 4].map((k) => leafPath(shape, p, k)) as [string, string, string, string, string];
    return `export const p${String(p)} = { name: 'p${String(p)}', inputs: ['${a}', '${b}', '${c}'], outputs: ['${out1}', '${out2}'], fn: (ctx: State): void => {
  const sum = ctx.${a} + ctx.${b} + ctx.${c};
  ctx.${out1} = sum;
  ctx.${out2} = sum * 2;
} };`;
  });
  return `${stateType(shape)}${processes.join('\n')}\n`;
}

/** Type-checks `source` as one in-memory module with the repository's compiler options. */
export function checkCost(source: string): TypeCost {
  const fileName = fileURLToPath(new URL('./__type_cost__.ts', import.meta.url));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError, create) =>
    name === fileName ? ts.createSourceFile(name, source, version, true) : getSourceFile(name, version, onError, create);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  const started = performance.now();
  const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(fileName));
  const checkMs = performance.now() - started;
  return {
    instantiations: program.getInstantiationCount(),
    types: program.getTypeCount(),
    checkMs,
    diagnostics: diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
  };
}
