import type { ErrorCode } from './protocol.js';

/** A refused command: the code and message go to the client as they are. */
export class EngineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
