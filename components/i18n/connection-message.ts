import type { ConnectionStatus } from '../../core/control-client.js';
import type { LocalizeController } from './localize.js';

/** What a person is told about a failing connection, in the element's language. */
export function connectionMessage(t: LocalizeController, c: ConnectionStatus): string {
  switch (c.error?.code) {
    case undefined:
      return '';
    case 'unreachable':
      return t.term('errUnreachable');
    case 'unauthorized':
      return t.term('errUnauthorized');
    case 'replaced':
      return t.term('errReplaced');
    default:
      return c.error ? t.term('errCode', c.error.code, c.error.message) : '';
  }
}
