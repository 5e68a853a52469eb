/**
 * Runs examples/n8n/company-lead-organization-deal-tag.json node by node against the sandbox, so
 * the example's parameters, the keys inside its collections included, are proven to work.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { WeeekLeadTrigger } from '../../nodes/WeeekLeadTrigger/WeeekLeadTrigger.node';
import { SEED } from '../sandbox/server';
import { createWebhookContext } from './harness';
import { findDeal, runNode, useSandbox } from './support';

const handle = useSandbox();
const EXAMPLE = join(__dirname, '..', '..', '..', 'examples', 'n8n', 'company-lead-organization-deal-tag.json');

interface WorkflowNode {
	name: string;
	type: string;
	parameters: IDataObject;
}

interface Workflow {
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

/**
 * Resolves the `={{ … }}` parameters of the example as n8n would for one item. The example's
 * expressions are plain JavaScript over `$json` and `$('Node').item.json`, which is all this
 * stand-in supports.
 */
function resolveParameters(value: unknown, json: IDataObject, outputs: Record<string, IDataObject>): unknown {
	if (typeof value === 'string' && value.startsWith('={{') && value.endsWith('}}')) {
		const expression = value.slice(3, -2);
		const lookup = (name: string) => ({ item: { json: outputs[name] } });
		return new Function('$json', '$', `return (${expression});`)(json, lookup) as unknown;
	}
	if (Array.isArray(value)) return value.map((entry) => resolveParameters(entry, json, outputs));
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, resolveParameters(entry, json, outputs)]));
	}
	return value;
}

describe('company lead example workflow', () => {
	it('creates linked records and a tag', async () => {
		const workflow = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Workflow;
		const triggerNode = workflow.nodes.find((entry) => entry.type === 'n8n-nodes-weeek.weeekLeadTrigger')!;

		const { context } = createWebhookContext(triggerNode.parameters, {
			body: { name: 'Ivan Petrov', phone: '8 (999) 000-12-34', email: 'ivan@example.ru', company: 'Example LLC', utm_source: 'yandex', comment: 'Call after 5 pm' },
			headers: { 'content-type': 'application/json' },
		});
		const delivery = await new WeeekLeadTrigger().webhook.call(context);
		const outputs: Record<string, IDataObject> = { [triggerNode.name]: delivery.workflowData![0][0].json };

		let current = triggerNode.name;
		while (workflow.connections[current]) {
			const next = workflow.nodes.find((entry) => entry.name === workflow.connections[current].main[0][0].node)!;
			const parameters = resolveParameters(next.parameters, outputs[current], outputs) as Record<string, unknown>;
			const { output } = await runNode(handle, parameters);
			outputs[next.name] = output[0].json;
			current = next.name;
		}

		const [organization] = handle.sandbox.state.organizations;
		expect(organization).toMatchObject({ name: 'Example LLC', responsibleId: SEED.members.manager.id });
		expect(organization.phones.map((entry) => entry.phone)).toEqual(['+79990001234']);

		const deal = findDeal(handle, String(outputs['Create Deal'].id));
		expect(deal).toMatchObject({
			title: 'Company lead: Example LLC',
			statusId: SEED.statuses.newLead.id,
			description: 'Call after 5 pm',
			organizations: [organization.id],
			assignees: [SEED.members.manager.id],
			tags: [SEED.tags.website.id],
		});
		expect(deal.customFieldValues).toEqual({
			[SEED.customFields.utmSource.id]: 'yandex',
			[SEED.customFields.channel.id]: SEED.customFields.channel.options.website.id,
		});
		expect(outputs['Tag Deal']).toEqual({ success: true, dealId: deal.id, tagId: SEED.tags.website.id });
	});
});
