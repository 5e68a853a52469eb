// Flat ESLint config of n8n's community package scanner, copied from `buildScanConfig()` in
// @n8n/scan-community-package 0.32.0 (scanner/scanner.mjs). The scanner lints with it twice: the
// source checkout named by the npm provenance attestation (SCANNER_SOURCE_PATTERNS) and the
// unpacked npm tarball (SCANNER_TARBALL_PATTERNS). It runs ESLint with `allowInlineConfig: false`,
// so `eslint-disable` comments do not silence anything in either leg.
//
// NOTE: scanner 0.32.0 depends on @n8n/eslint-plugin-community-nodes 0.29.0. This folder pins
// 0.32.0, the version `n8n-node lint` (@n8n/node-cli 0.48.3) uses, so both passes share one rule set.
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { defineConfig } from 'eslint/config';
import n8nNodesPlugin from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

/** Files the scanner lints in the source checkout, relative to the package root. */
export const SCANNER_SOURCE_PATTERNS = ['package.json', '{nodes,credentials}/**/*.{js,ts,json}'];

/** Files the scanner lints in the unpacked tarball, relative to the package root. */
export const SCANNER_TARBALL_PATTERNS = ['**/*.js', 'package.json'];

/** Paths the scanner skips in both legs. */
export const SCANNER_IGNORES = ['node_modules/**', '**/package-lock.json'];

export function createScannerConfig() {
	const parser = tseslint.parser;

	return defineConfig(
		n8nCommunityNodesPlugin.configs.recommended,
		{
			rules: { 'no-console': 'error' },
		},
		{ plugins: { 'n8n-nodes-base': n8nNodesPlugin } },
		{
			files: ['package.json'],
			rules: { ...n8nNodesPlugin.configs.community.rules },
		},
		{
			files: ['**/credentials/**/*.ts'],
			rules: {
				...n8nNodesPlugin.configs.credentials.rules,
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
				'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
			},
		},
		{
			files: ['**/nodes/**/*.ts'],
			rules: {
				...n8nNodesPlugin.configs.nodes.rules,
				'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
				'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
				'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
			},
		},
		{
			files: ['**/*.json'],
			languageOptions: { parser },
		},
		{
			files: ['**/*.ts'],
			languageOptions: { parser },
		},
	);
}

export default createScannerConfig();
