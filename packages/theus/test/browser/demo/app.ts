/**
 * The browser demo: the core entries (`theus`, `theus/audit`, `theus/workflow`, `theus/fsm`)
 * bundled by esbuild for the browser and run in a page. The outcome is written to
 * `#result` and to `globalThis.theusDemo` for `demo.test.ts` to read.
 */
import { AuditBlockError, createTheus, TheusError } from 'theus';
import { loadAuditRecipe } from 'theus/audit';
import { loadWorkflow } from 'theus/workflow';
import { loadMachine } from 'theus/fsm';

/** The few DOM members the page uses (the repository's type-check has no DOM library). */
interface Page {
  document: { getElementById(id: string): { textContent: string | null; dataset: Record<string, string> } | null };
  navigator: { userAgent: string };
  theusDemo?: unknown;
}
const page = globalThis as unknown as Page;

interface Bank {
  domain: { accounts: Record<string, number>; status: string };
}
const t = createTheus<Bank>();

// A process: moves money between two accounts of the committed state. Bundlers may rename
// functions (esbuild does when names collide, minifiers always), so the contracts name the
// processes the recipe, the workflow and the machine refer to.
const transfer = t.process(
  { name: 'transfer', inputs: ['domain.accounts'], outputs: ['domain.accounts'], errors: ['RangeError'] },
  function transfer(ctx, args: { from: string; to: string; amount: number }) {
    if (args.amount <= 0) throw new RangeError('Amount must be positive');
    ctx.domain.accounts[args.from] = (ctx.domain.accounts[args.from] ?? 0) - args.amount;
    ctx.domain.accounts[args.to] = (ctx.domain.accounts[args.to] ?? 0) + args.amount;
  },
);
const ship = t.process({ name: 'ship', inputs: [], outputs: ['domain.status'] }, function ship(ctx) {
  ctx.domain.status = 'SHIPPED';
});

// An audit rule: a transfer above 800 is blocked before it runs.
const recipe = loadAuditRecipe(`
process_recipes:
  transfer:
    inputs: [{ field: amount, max: 800, level: B, message: "Transfer limit" }]
`);

const engine = t.engine({
  context: { domain: { accounts: { alice: 1000, bob: 0 }, status: 'OPEN' } },
  processes: [transfer, ship],
  audit: recipe,
});

async function demo() {
  await engine.execute(transfer, { from: 'alice', to: 'bob', amount: 100 });

  let blocked = '';
  try {
    await engine.execute(transfer, { from: 'alice', to: 'bob', amount: 900 });
  } catch (error) {
    blocked = error instanceof AuditBlockError ? error.code : String(error);
  }

  // A workflow: Python-style conditions on the committed state.
  const workflow = loadWorkflow(
    `
steps:
  - flux: while
    condition: "domain.accounts['bob'] < 400"
    do:
      - process: transfer
        args: { from: alice, to: bob, amount: 100 }
`,
    { processes: new Set(engine.processes) },
  );
  const run = await engine.executeWorkflow(workflow);

  // A state machine whose entry chain runs a process.
  const machine = engine.machine(
    loadMachine(`
initial: OPEN
states:
  OPEN: { events: { cmd_ship: SHIPPING } }
  SHIPPING: { entry: [ship], events: { EVT_CHAIN_DONE: DONE } }
  DONE: { events: {} }
`),
  );
  await machine.send('cmd_ship');

  // engine.scan() needs a file system: outside Node it says so.
  let scan = '';
  try {
    await engine.scan('./processes');
  } catch (error) {
    scan = error instanceof TheusError ? error.code : String(error);
  }

  return {
    accounts: engine.state.domain.accounts,
    status: engine.state.domain.status,
    version: engine.version,
    blocked,
    workflow: { status: run.status, executed: run.executed },
    machine: machine.state,
    scan,
    userAgent: page.navigator.userAgent,
  };
}

const out = page.document.getElementById('result');
demo().then(
  (result) => {
    page.theusDemo = { ok: true, result };
    if (out !== null) {
      out.textContent = JSON.stringify(result, null, 2);
      out.dataset['state'] = 'done';
    }
  },
  (error: unknown) => {
    page.theusDemo = { ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    if (out !== null) {
      out.textContent = String(error);
      out.dataset['state'] = 'failed';
    }
  },
);
