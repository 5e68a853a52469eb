/**
 * Static checks of what the editor and the Flow Library read: the editor `.html` files, the
 * message catalogues and help in en-US and ru, and the example flows.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Script } from 'node:vm';

import { NODE_SETS, ROOT } from './support';

const SOURCE_DIR = path.join(ROOT, 'node-red', 'nodes');
const BUILT_DIR = path.join(ROOT, 'node-red', 'dist', 'node-red', 'nodes');
const NODE_TYPES = NODE_SETS;
const LANGUAGES = ['en-US', 'ru'];

type Catalogue = Record<string, unknown>;

function catalogue(language: string, type: string): Catalogue {
	return JSON.parse(readFileSync(path.join(SOURCE_DIR, 'locales', language, `${type}.json`), 'utf8')) as Catalogue;
}

function lookUp(tree: Catalogue, key: string): unknown {
	return key.split('.').reduce<unknown>((node, part) => (node !== null && typeof node === 'object' ? (node as Catalogue)[part] : undefined), tree);
}

function flatKeys(tree: Catalogue, prefix = ''): string[] {
	return Object.entries(tree).flatMap(([key, value]) =>
		value !== null && typeof value === 'object' ? flatKeys(value as Catalogue, `${prefix}${key}.`) : [`${prefix}${key}`],
	);
}

function editorScripts(type: string): string[] {
	const html = readFileSync(path.join(SOURCE_DIR, `${type}.html`), 'utf8');
	return [...html.matchAll(/<script[^>]*type="text\/javascript"[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1]);
}

/** Runs an editor script with a stand-in `RED` and returns what it registered. */
function registeredDefinitions(type: string): Map<string, Record<string, unknown>> {
	const registered = new Map<string, Record<string, unknown>>();
	const RED = {
		nodes: { registerType: (name: string, definition: Record<string, unknown>) => registered.set(name, definition) },
		validators: { number: () => () => true, typedInput: () => () => true, regex: () => () => true },
	};
	for (const code of editorScripts(type)) new Script(code).runInNewContext({ RED, $: () => undefined, window: {} });
	return registered;
}

/** Catalogue keys a node's editor file uses, relative to its own catalogue (shared keys excluded). */
function editorKeys(type: string): string[] {
	const html = readFileSync(path.join(SOURCE_DIR, `${type}.html`), 'utf8');
	const fromAttributes = [...html.matchAll(/data-i18n="([^"]+)"/g)].flatMap((match) => match[1].split(';').map((part) => part.replace(/^\[[^\]]+\]/, '')));
	const fromCode = [...html.matchAll(/_\('([^']+)'/g)].map((match) => match[1]);
	return [...fromAttributes, ...fromCode].filter((key) => !key.includes(':') && !key.endsWith('.'));
}

/** Finds the TypeScript files the node files import, directly or through other files, by relative path. */
function importedSources(): string[] {
	const pending = NODE_TYPES.map((type) => path.join(SOURCE_DIR, `${type}.ts`));
	const seen = new Set<string>();

	while (pending.length > 0) {
		const file = pending.pop() as string;
		if (seen.has(file)) continue;
		seen.add(file);

		const text = readFileSync(file, 'utf8');
		for (const match of text.matchAll(/from '(\.[^']+)'/g)) {
			const target = path.resolve(path.dirname(file), match[1]);
			const candidates = [`${target}.ts`, path.join(target, 'index.ts')];
			const found = candidates.find((candidate) => existsSync(candidate));
			if (found !== undefined) pending.push(found);
		}
	}
	return [...seen];
}

/** Collects the error codes the node files can throw, read from the sources they import. */
function thrownErrorCodes(): string[] {
	const codes = new Set<string>();
	for (const file of importedSources()) {
		const text = readFileSync(file, 'utf8');
		for (const match of text.matchAll(/new (?:ConfigurationError|LeadInputError|WeeekError|LeadSourceError)\(\s*'(\w+)'/g)) codes.add(match[1]);
	}

	const errorTypes = readFileSync(path.join(ROOT, 'shared', 'errors.ts'), 'utf8');
	const union = /export type WeeekErrorCode =([^;]+);/.exec(errorTypes)?.[1] ?? '';
	for (const match of union.matchAll(/'(\w+)'/g)) codes.add(match[1]);
	return [...codes].sort();
}

describe('Node-RED editor files', () => {
	it('register each node type with literal definitions', () => {
		for (const type of NODE_TYPES) {
			const definitions = registeredDefinitions(type);
			expect([...definitions.keys()]).toEqual([type]);

			const scripts = editorScripts(type).join('\n');
			expect(scripts).toContain(`RED.nodes.registerType('${type}', {`);
		}
	});

	it('declare the token as a password credential', () => {
		const definition = registeredDefinitions('weeek-config').get('weeek-config');

		expect(definition?.category).toBe('config');
		expect(definition?.credentials).toEqual({ token: { type: 'password' } });
	});

	it('declare every lead source secret as a credential, never as a property', () => {
		const definition = registeredDefinitions('weeek-lead-source').get('weeek-lead-source');
		const secrets = ['secret', 'vkSecret', 'fbAppSecret', 'fbVerifyToken', 'fbAccessToken', 'mytargetToken'];

		expect(definition?.category).toBe('config');
		for (const name of secrets) expect(definition?.credentials).toHaveProperty(name, { type: 'password' });
		expect(definition?.credentials).toHaveProperty('vkConfirmation', { type: 'text' });
		expect(Object.keys(definition?.defaults as object)).toEqual(['name', 'kind', 'secretLocation', 'graphBaseUrl', 'mytargetBaseUrl']);
	});

	it('keep the funnel and status ids out of the editor status property', () => {
		// The editor keeps the runtime status dot in `node.status`, so a default of that name would be overwritten.
		for (const type of NODE_TYPES) {
			const defaults = registeredDefinitions(type).get(type)?.defaults as Record<string, unknown>;
			expect(Object.keys(defaults)).not.toContain('status');
		}
	});

	it('are copied next to the built node files', () => {
		for (const type of NODE_TYPES) {
			expect(readFileSync(path.join(BUILT_DIR, `${type}.html`), 'utf8')).toBe(readFileSync(path.join(SOURCE_DIR, `${type}.html`), 'utf8'));
			for (const language of LANGUAGES) {
				expect(readFileSync(path.join(BUILT_DIR, 'locales', language, `${type}.json`), 'utf8')).toContain(`"${type}"`);
			}
		}
	});
});

describe('Node-RED message catalogues', () => {
	it('hold every key the editor files use', () => {
		const missing: string[] = [];
		for (const type of NODE_TYPES) {
			for (const language of LANGUAGES) {
				for (const key of editorKeys(type)) {
					if (typeof lookUp(catalogue(language, type), key) !== 'string') missing.push(`${language}/${type}: ${key}`);
				}
			}
		}
		expect(missing).toEqual([]);
	});

	it('have the same keys in en-US and ru', () => {
		for (const type of NODE_TYPES) {
			expect(flatKeys(catalogue('ru', type)).sort()).toEqual(flatKeys(catalogue('en-US', type)).sort());
		}
	});

	it('translate every error code the nodes can throw', () => {
		const missing: string[] = [];
		for (const language of LANGUAGES) {
			const shared = catalogue(language, 'weeek-config');
			for (const code of thrownErrorCodes()) {
				if (typeof lookUp(shared, `errors.${code}`) !== 'string') missing.push(`${language}: errors.${code}`);
			}
		}
		expect(missing).toEqual([]);
	});

	it('hold the status keys the runtime sets', () => {
		const libDir = path.join(SOURCE_DIR, 'lib');
		// i18n.ts maps error codes to status texts, status.ts sets the others.
		const runtime = ['i18n.ts', 'status.ts'].map((file) => readFileSync(path.join(libDir, file), 'utf8')).join('\n');
		const literalKeys = [...runtime.matchAll(/\$\{SHARED_NS\}(status\.[\w.]*\w)`/g)].map((match) => match[1]);
		const failedNames = [...runtime.matchAll(/^\t(\w+): '(\w+)',$/gm)].map((match) => match[2]);
		const keys = [...literalKeys, 'status.created', 'status.linked', ...['lead', 'setup', 'other', ...failedNames].map((name) => `status.failed.${name}`)];

		expect(literalKeys).toContain('status.requesting');
		expect(failedNames).toContain('unauthorized');
		const missing = LANGUAGES.flatMap((language) => keys.filter((key) => typeof lookUp(catalogue(language, 'weeek-config'), key) !== 'string').map((key) => `${language}: ${key}`));
		expect(missing).toEqual([]);
	});
});

/** Lists every TypeScript file of the runtime, the node files and `lib/`, relative to the source folder. */
function runtimeSources(): string[] {
	const files = readdirSync(SOURCE_DIR).filter((name) => name.endsWith('.ts'));
	const libFiles = readdirSync(path.join(SOURCE_DIR, 'lib'))
		.filter((name) => name.endsWith('.ts'))
		.map((name) => `lib/${name}`);
	return [...files, ...libFiles];
}

/** One `RED._` call with a literal key: the catalogue it reads, the key inside it and the parameter names passed. */
interface RuntimeKey {
	where: string;
	type: string;
	key: string;
	params: string[];
}

/** The `RED._` calls that take a computed key, with the reason each is allowed. */
const COMPUTED_KEYS: Record<string, string> = {
	'lib/i18n.ts': 'translate() passes the error, kind and property keys it builds, checked by the error code test above',
};

/**
 * Reads the names of an object literal's top-level properties, `{ path, error: x.message }` giving
 * `['path', 'error']`, from `text` starting at its `{`.
 */
function objectLiteralNames(text: string): string[] {
	const names: string[] = [];
	let depth = 0;
	let part = '';
	for (const character of text) {
		if ('{(['.includes(character)) depth += 1;
		if ('})]'.includes(character)) depth -= 1;
		if (depth === 0) break;
		if (depth === 1 && character === ',') {
			names.push(part);
			part = '';
		} else if (depth > 1 || character !== '{') {
			part += character;
		}
	}
	names.push(part);
	return names.map((entry) => /^\s*(?:\.\.\.)?(\w+)/.exec(entry)?.[1] ?? '').filter((name) => name !== '');
}

/**
 * Finds the literal catalogue keys of the runtime sources. A plain key belongs to the catalogue of
 * the node file that calls it, because Node-RED prefixes it with that node set's namespace. A key
 * after `${SHARED_NS}` belongs to the shared `weeek-config` catalogue.
 */
function runtimeKeys(): { keys: RuntimeKey[]; problems: string[] } {
	const keys: RuntimeKey[] = [];
	const problems: string[] = [];
	for (const file of runtimeSources()) {
		const text = readFileSync(path.join(SOURCE_DIR, file), 'utf8');
		for (const match of text.matchAll(/RED\._\(\s*(?:'([^']+)'|`\$\{SHARED_NS\}([^`$]+)`)?/g)) {
			const line = text.slice(0, match.index).split('\n').length;
			const where = `${file}:${line}`;
			const [call, plainKey, sharedKey] = match;
			if (plainKey === undefined && sharedKey === undefined) {
				if (COMPUTED_KEYS[file] === undefined) problems.push(`${where}: RED._ with a computed key`);
				continue;
			}

			const fileType = file.startsWith('lib/') ? undefined : file.replace(/\.ts$/, '');
			if (plainKey !== undefined && fileType === undefined) {
				problems.push(`${where}: plain key '${plainKey}' in a lib file, whose namespace depends on the caller: use \${SHARED_NS}`);
				continue;
			}
			const type = sharedKey !== undefined ? 'weeek-config' : (fileType as string);
			const rest = text.slice((match.index ?? 0) + call.length).replace(/^[`']?\s*/, '');
			const params = rest.startsWith(',') ? objectLiteralNames(rest.slice(rest.indexOf('{'))) : [];
			keys.push({ where, type, key: sharedKey ?? (plainKey as string), params });
		}
	}
	return { keys, problems };
}

describe('Node-RED runtime texts', () => {
	it('find the keys of the warnings the nodes send', () => {
		const { keys, problems } = runtimeKeys();
		const found = keys.map((entry) => `${entry.type}: ${entry.key} (${entry.params.join(', ')})`);

		expect(problems).toEqual([]);
		expect(found).toContain('weeek-lead-in: weeek-lead-in.errors.invalidPath (path)');
		expect(found).toContain('weeek-watch: weeek-watch.warn.stateUnreadable (file, error)');
		expect(found).toContain('weeek-config: weeek-config.warn.adminRouteFailed (error)');
	});

	it('hold every key the runtime sources translate', () => {
		const missing: string[] = [];
		for (const { where, type, key } of runtimeKeys().keys) {
			if (!NODE_TYPES.includes(type)) {
				missing.push(`${where}: ${type} is not a node set`);
				continue;
			}
			if (type !== 'weeek-config' && !key.startsWith(`${type}.`)) missing.push(`${where}: ${key} lies outside the ${type} catalogue`);
			for (const language of LANGUAGES) {
				if (typeof lookUp(catalogue(language, type), key) !== 'string') missing.push(`${where}: ${language}/${type}.json has no ${key}`);
			}
		}
		expect(missing).toEqual([]);
	});

	it('pass a value for every placeholder of a runtime text', () => {
		const unfilled: string[] = [];
		for (const { where, type, key, params } of runtimeKeys().keys) {
			for (const language of LANGUAGES) {
				const text = lookUp(catalogue(language, type), key);
				if (typeof text !== 'string') continue;
				const placeholders = [...text.matchAll(/__(\w+)__/g)].map((match) => match[1]);
				for (const name of placeholders) if (!params.includes(name)) unfilled.push(`${where}: ${language} ${key} needs __${name}__`);
			}
		}
		expect(unfilled).toEqual([]);
	});

	it('use the same placeholders in en-US and ru', () => {
		// The core passes `action` as an English phrase such as "list funnels", so the ru error texts leave it out.
		const leftOutInRussian = ['action'];
		const placeholders = (text: unknown, leftOut: string[] = []): string =>
			[...String(text).matchAll(/__(\w+)__/g)]
				.map((match) => match[1])
				.filter((name) => !leftOut.includes(name))
				.sort()
				.join(',');

		const differing: string[] = [];
		for (const type of NODE_TYPES) {
			const english = catalogue('en-US', type);
			const russian = catalogue('ru', type);
			for (const key of flatKeys(english)) {
				if (placeholders(lookUp(english, key), leftOutInRussian) !== placeholders(lookUp(russian, key))) differing.push(`${type}: ${key}`);
			}
		}
		expect(differing).toEqual([]);
	});

	it('send no hard-coded text through warn, error or log', () => {
		const hardCoded: string[] = [];
		for (const file of runtimeSources()) {
			const lines = readFileSync(path.join(SOURCE_DIR, file), 'utf8').split('\n');
			lines.forEach((line, index) => {
				// debug and trace lines are for developers and stay in English.
				if (/\b(?:node|this\.node|RED\.log)\.(?:warn|error|log|info)\(\s*['"`]/.test(line)) hardCoded.push(`${file}:${index + 1}: ${line.trim()}`);
			});
		}
		expect(hardCoded).toEqual([]);
	});
});

describe('Node-RED help and examples', () => {
	it('document every node type in both languages', () => {
		for (const type of NODE_TYPES) {
			for (const language of LANGUAGES) {
				const help = readFileSync(path.join(SOURCE_DIR, 'locales', language, `${type}.html`), 'utf8');
				expect(help).toContain(`data-help-name="${type}"`);
			}
		}
	});

	it('use every node type in the example flows', () => {
		const examplesDir = path.join(ROOT, 'node-red', 'examples');
		const used = new Set<string>();
		for (const file of readdirSync(examplesDir).filter((name) => name.endsWith('.json'))) {
			const flow = JSON.parse(readFileSync(path.join(examplesDir, file), 'utf8')) as Array<{ type: string; credentials?: unknown }>;
			expect(flow.some((node) => node.type === 'comment')).toBe(true);
			expect(flow.some((node) => node.credentials !== undefined)).toBe(false);
			flow.forEach((node) => used.add(node.type));
		}

		for (const type of NODE_TYPES) expect(used).toContain(type);
	});
});
