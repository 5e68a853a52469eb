/**
 * `weeek-workspace`: what a WEEEK workspace sets up once and CRM records refer to: funnels and
 * their statuses, members, tags and currencies. One operation per node: list or get funnels,
 * create a funnel, list the statuses of a funnel or get one, list members, tags or currencies.
 *
 * Results go to `msg.weeek`: `funnel`, `funnels`, `status`, `statuses`, `members`, `tags`,
 * `currencies`. `msg.payload` is never changed.
 */
import type { NodeAPI, NodeDefinition, NodeInstance } from './lib/nodeRed';
import { handleOperation, type Operation } from './lib/operations';
import { LIST_TYPE, PropertyReader } from './lib/propertyReader';

/** WEEEK's currency ids are small positive integers (`GET /crm/currencies`). */
const CURRENCY_ID_RANGE = { min: 1, max: Number.MAX_SAFE_INTEGER };

/** WEEEK limits funnel names to 255 characters. */
const MAX_NAME_LENGTH = 255;

const DEFAULTS = {
	funnelSource: { value: '', type: LIST_TYPE },
	statusSource: { value: '', type: LIST_TYPE },
	newFunnelName: { value: '', type: 'str' },
	currencyId: { value: '', type: 'num' },
	isPrivate: { value: 'false', type: 'bool' },
};

export default function register(RED: NodeAPI): void {
	function WeeekWorkspace(this: NodeInstance, definition: NodeDefinition): void {
		RED.nodes.createNode(this, definition);
		const node = this;
		const reader = new PropertyReader(RED, node, definition, DEFAULTS);

		const operations: Record<string, Operation> = {
			listFunnels: {
				doneKey: 'status.listed',
				run: async (msg, client) => {
					msg.weeek.funnels = await client.listFunnels();
				},
			},
			getFunnel: {
				doneKey: 'status.found',
				run: async (msg, client) => {
					msg.weeek.funnel = await client.getFunnel(await reader.requireText(msg, 'funnelSource'));
				},
			},
			createFunnel: {
				doneKey: 'status.created',
				run: async (msg, client) => {
					const name = await reader.requireText(msg, 'newFunnelName');
					const isPrivate = await reader.value(msg, 'isPrivate');
					const funnel = await client.createFunnel({
						name: name.length > MAX_NAME_LENGTH ? name.slice(0, MAX_NAME_LENGTH) : name,
						currencyId: await reader.integer(msg, 'currencyId', CURRENCY_ID_RANGE),
						isPrivate: isPrivate === true || isPrivate === 'true' ? true : undefined,
					});
					msg.weeek.funnel = funnel;
					node.debug(`created WEEEK funnel ${funnel.id}`);
				},
			},
			listStatuses: {
				doneKey: 'status.listed',
				run: async (msg, client) => {
					// Quirk: statuses have no position field, so WEEEK's array order is the board order and is kept.
					msg.weeek.statuses = await client.listStatuses(await reader.requireText(msg, 'funnelSource'));
				},
			},
			getStatus: {
				doneKey: 'status.found',
				run: async (msg, client) => {
					msg.weeek.status = await client.getStatus(await reader.requireText(msg, 'statusSource'));
				},
			},
			listMembers: {
				doneKey: 'status.listed',
				run: async (msg, client) => {
					msg.weeek.members = await client.listMembers();
				},
			},
			listTags: {
				doneKey: 'status.listed',
				run: async (msg, client) => {
					msg.weeek.tags = await client.listTags();
				},
			},
			listCurrencies: {
				doneKey: 'status.listed',
				run: async (msg, client) => {
					msg.weeek.currencies = await client.listCurrencies();
				},
			},
		};

		handleOperation(RED, node, definition, operations, 'listFunnels');
	}

	RED.nodes.registerType('weeek-workspace', WeeekWorkspace);
}
