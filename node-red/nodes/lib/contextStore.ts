/**
 * Node context as promises, and the choice of the context store that keeps lead state.
 *
 * Node-RED keeps context in memory unless `contextStorage` in settings.js configures a store such as
 * `localfilesystem`. Lead state (seen lead keys, the myTarget cursor) is worth keeping across
 * restarts, so a file store is used whenever the user configured one.
 */
import type { NodeAPI, NodeInstance } from './nodeRed';

/**
 * Returns the name of the store that writes to disk: the store called `file` when there is one, else
 * the first store using the `localfilesystem` module, else undefined (the default store).
 */
export function persistentStoreName(RED: NodeAPI): string | undefined {
	const stores = RED.settings.contextStorage;
	if (stores === undefined || stores === null || typeof stores !== 'object') return undefined;

	const names = Object.keys(stores).filter((name) => name !== 'default');
	if (names.includes('file')) return 'file';
	return names.find((name) => {
		const store = stores[name];
		return typeof store === 'object' && store !== null && store.module === 'localfilesystem';
	});
}

export function readContext<T>(node: NodeInstance, key: string, store: string | undefined): Promise<T | undefined> {
	return new Promise((resolve, reject) => {
		node.context().get(key, store, (error, value) => {
			if (error) reject(error);
			else resolve(value as T | undefined);
		});
	});
}

export function writeContext(node: NodeInstance, key: string, value: unknown, store: string | undefined): Promise<void> {
	return new Promise((resolve, reject) => {
		node.context().set(key, value, store, (error) => {
			if (error) reject(error);
			else resolve();
		});
	});
}
