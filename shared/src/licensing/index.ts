export * from './types.js';
export * from './keys.js';
export {
  LICENSE_FILE_EXTENSION,
  LICENSE_FILE_FORMAT_VERSION,
  LICENSE_FILE_MAGIC,
  LICENSE_FILE_MAX_BYTES,
  licenseFileName,
  serializeLicenseFile,
} from './format.js';
export { parseLicenseFileUnverified } from './reader.js';
export {
  generateSigningKeyPair,
  publicKeyFromPrivate,
  signLicenseFile,
  verifyLicenseFile,
} from './signing.js';
export { DEVELOPMENT_SIGNING_KEY_FILE, resolveSigningKeys, resolveVerificationKey } from './signing-keys.js';
