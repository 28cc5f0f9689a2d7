/** The portal's crypto: byte-compatible with the Rust client (checked against its vectors). */
export * from './account.js';
export * from './bytes.js';
export * from './classes.js';
export * from './envelope.js';
export * from './errors.js';
export * from './keyfile.js';
export * from './request.js';
export * from './wrap.js';
