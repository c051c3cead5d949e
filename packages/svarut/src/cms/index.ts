export {
  type CertificateInput,
  createSelfSignedCertificate,
  type PrivateKeyInput,
  type SelfSignedCertificate,
  type SelfSignedCertificateOptions,
} from './certificate.js'
export { createDecryptStream, type DecryptOptions, decrypt, decryptBuffer } from './decrypt.js'
export {
  type ContentEncryptionAlgorithm,
  createEncryptStream,
  type EncryptOptions,
  encrypt,
  encryptBuffer,
  type OaepHash,
} from './encrypt.js'
export type { CmsSource } from './source.js'
