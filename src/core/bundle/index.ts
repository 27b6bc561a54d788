/** Public API of the bundle walker (node-inputs.ts is Node-only: import it directly). */
export type { BundleEntry, InputFile, WalkOptions, WalkProblem } from './types';
export { walkInputs, DEFAULT_WALK_OPTIONS } from './walk';
export { createDigester, bundleFingerprint, fingerprintPath, probeKey, sha256Hex, PIECE_BYTES, type Digester } from './fingerprint';
export { looksBinary, describeBinary } from './binary';
export { inputFromBlob } from './blob-inputs';
export { sanitizeMemberPath } from './paths';
