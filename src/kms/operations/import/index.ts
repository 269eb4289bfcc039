// The imported-key-material operations (BYOK), for the operation registry.

import type { Operation } from '../../context.js';
import { DeleteImportedKeyMaterial } from './delete-imported-key-material.js';
import { GetParametersForImport } from './get-parameters-for-import.js';
import { ImportKeyMaterial } from './import-key-material.js';


export const IMPORT_OPERATIONS: readonly Operation[] = [DeleteImportedKeyMaterial, GetParametersForImport, ImportKeyMaterial];
