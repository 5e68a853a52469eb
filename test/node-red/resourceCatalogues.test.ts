/**
 * Catalogue keys the resource nodes reach at run time: the green status text of each operation and
 * the property names that errors such as `missingValue` translate, in en-US and ru.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ROOT } from './support';

const SOURCE_DIR = path.join(ROOT, 'node-red', 'nodes');
const RESOURCE_NODES = ['weeek-contact', 'weeek-deal', 'weeek-organization', 'weeek-workspace'];
const LANGUAGES = ['en-US', 'ru'];

function shared(language: string): Record<string, Record<string, unknown>> {
	return JSON.parse(readFileSync(path.join(SOURCE_DIR, 'locales', language, 'weeek-config.json'), 'utf8')) as Record<string, Record<string, unknown>>;
}

function sources(): string {
	const files = [...RESOURCE_NODES.map((type) => `${type}.ts`), 'lib/paging.ts'];
	return files.map((file) => readFileSync(path.join(SOURCE_DIR, file), 'utf8')).join('\n');
}

describe('resource node catalogues', () => {
	it('hold the status text of every operation', () => {
		const keys = [...new Set([...sources().matchAll(/doneKey: (?:[^\n]*?)'status\.(\w+)'/g)].map((match) => match[1]))];
		const alternatives = [...sources().matchAll(/'status\.(\w+)'/g)].map((match) => match[1]);

		expect(keys).toContain('listed');
		for (const language of LANGUAGES) {
			const missing = [...new Set([...keys, ...alternatives, 'done'])].filter((key) => typeof shared(language).status[key] !== 'string');
			expect(missing).toEqual([]);
		}
	});

	it('name every property the nodes read', () => {
		const names = [...new Set([...sources().matchAll(/reader\.(?:requireText|text|value|list|integer|requireInteger)\(msg, '(\w+)'/g)].map((match) => match[1]))];

		expect(names).toEqual(expect.arrayContaining(['contactId', 'dealId', 'organizationId', 'statusSource', 'tagSource', 'limit']));
		for (const language of LANGUAGES) {
			const missing = names.filter((name) => typeof shared(language).properties[name] !== 'string');
			expect(missing).toEqual([]);
		}
	});
});
