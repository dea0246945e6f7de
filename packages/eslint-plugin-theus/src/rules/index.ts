import type { RuleId } from '../rule-codes.js';
import { contractIntegrity } from './contract-integrity.js';
import { noConsole } from './no-console.js';
import { noFileIo } from './no-file-io.js';
import { noModuleState } from './no-module-state.js';
import { noNetwork } from './no-network.js';
import { noUndeclaredWrite } from './no-undeclared-write.js';
import { noZoneAlias } from './no-zone-alias.js';
import { noZoneParadox } from './no-zone-paradox.js';
import { returnPath } from './return-path.js';

/** Every rule of the plugin, by id (without the `theus/` prefix), in POP code order. */
export const rules = {
  'no-console': noConsole,
  'no-file-io': noFileIo,
  'no-network': noNetwork,
  'no-module-state': noModuleState,
  'no-undeclared-write': noUndeclaredWrite,
  'return-path': returnPath,
  'no-zone-paradox': noZoneParadox,
  'no-zone-alias': noZoneAlias,
  'contract-integrity': contractIntegrity,
} satisfies Record<RuleId, unknown>;
