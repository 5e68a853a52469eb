import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { Weeek } from '../../nodes/Weeek/Weeek.node';
import { WeeekLeadPollTrigger } from '../../nodes/WeeekLeadPollTrigger/WeeekLeadPollTrigger.node';
import { WeeekLeadTrigger } from '../../nodes/WeeekLeadTrigger/WeeekLeadTrigger.node';

const EXAMPLES_DIR = join(__dirname, '..', '..', '..', 'examples', 'n8n');

const descriptions: Record<string, INodeTypeDescription> = {
	'n8n-nodes-weeek.weeek': new Weeek().description,
	'n8n-nodes-weeek.weeekLeadTrigger': new WeeekLeadTrigger().description,
	'n8n-nodes-weeek.weeekLeadPollTrigger': new WeeekLeadPollTrigger().description,
};

/** Whether a property is shown for the given parameter values (only `show`/`hide` on plain values). */
function isShown(property: INodeProperties, parameters: Record<string, unknown>): boolean {
	const show = property.displayOptions?.show ?? {};
	const hide = property.displayOptions?.hide ?? {};
	const matches = (name: string, allowed: unknown) => (allowed as unknown[]).includes(parameters[name]);
	return Object.entries(show).every(([name, allowed]) => matches(name, allowed)) && !Object.entries(hide).some(([name, allowed]) => matches(name, allowed));
}

interface WorkflowNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, unknown>;
}

describe('example n8n workflows', () => {
	const files = readdirSync(EXAMPLES_DIR).filter((name) => name.endsWith('.json'));

	it('cover Lead → Deal and the three-step chain', () => {
		expect(files).toEqual(expect.arrayContaining(['tilda-lead-to-deal.json', 'tilda-contact-deal-link.json']));
	});

	it.each(files)('%s uses only parameters our nodes define', (file) => {
		const workflow = JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as { nodes: WorkflowNode[]; connections: Record<string, unknown> };

		for (const node of workflow.nodes) {
			const description = descriptions[node.type];
			expect(description).toBeDefined();

			const shown = description.properties.filter((property) => isShown(property, node.parameters)).map((property) => property.name);
			const extra = Object.keys(node.parameters).filter((name) => !shown.includes(name) && !(description.polling && name === 'pollTimes'));
			expect({ node: node.name, extra }).toEqual({ node: node.name, extra: [] });

			for (const credentialName of Object.keys(node.credentials ?? {})) {
				expect(description.credentials?.map((credential) => credential.name)).toContain(credentialName);
			}
		}

		for (const source of Object.keys(workflow.connections)) {
			expect(workflow.nodes.map((node) => node.name)).toContain(source);
		}
	});
});
