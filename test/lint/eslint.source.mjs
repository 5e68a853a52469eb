// Flat ESLint config that `n8n-node lint` applies to a community package's sources.
// Copied from `createConfig()` in @n8n/node-cli 0.48.3 (dist/configs/eslint.js), the `config`
// export that the starter's one-line eslint.config.mjs re-exports. Keep it in step with that file
// when the pinned plugin versions in package.json change.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { globalIgnores } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importPlugin from 'eslint-plugin-import-x';
import n8nNodesPlugin from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

/**
 * Builds the `n8n-node lint` config. File globs are relative to ESLint's `cwd`, which must be the
 * package root. `tsconfigPath` points the import resolver at the package's tsconfig, because
 * node-cli's default (the process working directory) is not the package root when run.mjs runs.
 * `supportCloud: false` gives node-cli's `configWithoutCloudSupport`.
 */
export function createSourceConfig({ tsconfigPath, supportCloud = true } = {}) {
	const communityNodesRecommended = supportCloud
		? n8nCommunityNodesPlugin.configs.recommended
		: n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;

	return tseslint.config(
		globalIgnores(['dist']),
		{
			files: ['**/*.ts'],
			extends: [
				js.configs.recommended,
				tseslint.configs.recommended,
				communityNodesRecommended,
				importPlugin.configs['flat/recommended'],
			],
			rules: {
				'prefer-spread': 'off',
				'no-console': 'error',
			},
		},
		{
			plugins: { 'n8n-nodes-base': n8nNodesPlugin },
			settings: {
				'import-x/resolver-next': [
					createTypeScriptImportResolver(tsconfigPath ? { project: tsconfigPath } : undefined),
				],
			},
		},
		{
			files: ['package.json'],
			extends: [communityNodesRecommended],
			rules: {
				...n8nNodesPlugin.configs.community.rules,
			},
			languageOptions: {
				parser: tseslint.parser,
				parserOptions: {
					extraFileExtensions: ['.json'],
				},
			},
		},
		{
			files: ['./credentials/**/*.ts'],
			rules: {
				...n8nNodesPlugin.configs.credentials.rules,
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
				'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
			},
		},
		{
			files: ['./nodes/**/*.ts'],
			rules: {
				...n8nNodesPlugin.configs.nodes.rules,
				'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
				'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
				'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
			},
		},
		// Local addition, not in node-cli: shared/ is the host-agnostic core that the Node-RED package
		// uses too, so it cannot import n8n-workflow's NodeApiError or NodeOperationError. The n8n
		// adapters in nodes/ wrap its errors instead. The scanner never lints shared/*.ts, and this
		// rule only runs on .ts files, so the compiled dist/shared/*.js passes the tarball leg either way.
		{
			files: ['./shared/**/*.ts'],
			rules: {
				'@n8n/community-nodes/require-node-api-error': 'off',
			},
		},
	);
}

export default createSourceConfig();
