// The key rotation operations, for src/kms/operations/index.ts.

import type { Operation } from '../../context.js';
import { DisableKeyRotation } from './disable-key-rotation.js';
import { EnableKeyRotation } from './enable-key-rotation.js';
import { GetKeyRotationStatus } from './get-key-rotation-status.js';
import { ListKeyRotations } from './list-key-rotations.js';
import { RotateKeyOnDemand } from './rotate-key-on-demand.js';


export const ROTATION_OPERATIONS: readonly Operation[] = [
  DisableKeyRotation,
  EnableKeyRotation,
  GetKeyRotationStatus,
  ListKeyRotations,
  RotateKeyOnDemand,
];
