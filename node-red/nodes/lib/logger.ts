/**
 * The core's logger port on a node's log: debug to `node.debug`, info to `node.log` and warnings
 * to `node.warn`, with metadata appended as JSON. The core never puts a token into metadata.
 */
import type { LoggerPort } from '../../../shared/ports';
import type { NodeInstance } from './nodeRed';

export function nodeLogger(node: NodeInstance): LoggerPort {
	const format = (message: string, meta?: Record<string, unknown>): string => (meta === undefined ? message : `${message} ${JSON.stringify(meta)}`);
	return {
		debug: (message, meta) => node.debug(format(message, meta)),
		info: (message, meta) => node.log(format(message, meta)),
		warn: (message, meta) => node.warn(format(message, meta)),
	};
}
