import * as manifest from '../../package.json';

/** mlready's version, from the one place it is written. */
export const VERSION: string = (manifest as { version: string }).version;
