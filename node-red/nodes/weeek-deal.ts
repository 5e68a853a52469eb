/**
 * `weeek-deal`: creates a WEEEK deal in the funnel status picked in the dialog. Title, amount and
 * description come from TypedInputs whose defaults build them from the lead in `msg.payload`.
 * The contact in `msg.weeek.contact` is linked at creation time. The deal goes to
 * `msg.weeek.deal`; `msg.payload` keeps the lead.
 */
import { ConfigurationError } from '../../shared/errors';
import { amountFromLead, dealDescriptionFromLead, dealTitleFromLead, parseAmount, requireLead } from './lib/leadMapping';
import type { NodeAPI, NodeDefinition, NodeInstance, NodeMessage } from './lib/nodeRed';
import { evaluateProperty, optionalText } from './lib/properties';
import { handleWeeekInput, isDryRun } from './lib/weeekNode';

/** TypedInput types of this node that take their value from the lead instead of from a field. */
const LEAD_TITLE = 'leadTitle';
const LEAD_AMOUNT = 'leadAmount';
const LEAD_SUMMARY = 'leadSummary';

/** WEEEK limits deal titles to 255 characters. */
const MAX_TITLE_LENGTH = 255;

export default function register(RED: NodeAPI): void {
	function WeeekDeal(this: NodeInstance, definition: NodeDefinition): void {
		RED.nodes.createNode(this, definition);
		const node = this;

		const statusId = typeof definition.statusId === 'string' ? definition.statusId.trim() : '';
		const linkContact = definition.linkContact !== false;
		const property = (name: 'title' | 'amount' | 'description', fallbackType: string) => ({
			label: name,
			value: definition[name] ?? '',
			type: typeof definition[`${name}Type`] === 'string' && definition[`${name}Type`] !== '' ? (definition[`${name}Type`] as string) : fallbackType,
		});
		const title = property('title', LEAD_TITLE);
		const amount = property('amount', LEAD_AMOUNT);
		const description = property('description', LEAD_SUMMARY);

		const readTitle = async (msg: NodeMessage): Promise<string> => {
			const value =
				title.type === LEAD_TITLE ? dealTitleFromLead(requireLead(msg.payload, 'WEEEK Deal')) : optionalText(await evaluateProperty(RED, node, msg, title));
			if (value === undefined) {
				throw new ConfigurationError('missingTitle', 'The deal title is empty: WEEEK needs a title, so map a field or leave the title built from the lead');
			}
			return value.length > MAX_TITLE_LENGTH ? value.slice(0, MAX_TITLE_LENGTH) : value;
		};

		const readAmount = async (msg: NodeMessage): Promise<number | undefined> => {
			if (amount.type === LEAD_AMOUNT) return amountFromLead(requireLead(msg.payload, 'WEEEK Deal'));
			if (amount.type === 'num' && optionalText(amount.value) === undefined) return undefined;
			return parseAmount(await evaluateProperty(RED, node, msg, amount));
		};

		const readDescription = async (msg: NodeMessage): Promise<string | undefined> => {
			if (description.type === LEAD_SUMMARY) return dealDescriptionFromLead(RED, requireLead(msg.payload, 'WEEEK Deal'));
			const value = await evaluateProperty(RED, node, msg, description);
			if (value === undefined || value === null) return undefined;
			const text = typeof value === 'string' ? value : JSON.stringify(value);
			return text.trim() === '' ? undefined : text;
		};

		handleWeeekInput(RED, node, {
			configId: definition.config,
			doneKey: 'status.created',
			dryRun: isDryRun(definition),
			run: async (msg, client) => {
				if (statusId === '') {
					throw new ConfigurationError('missingStatus', 'The node has no funnel status: open it, pick a funnel and one of its statuses, and deploy');
				}

				const contactId = msg.weeek.contact?.id;
				const deal = await client.createDeal(statusId, {
					title: await readTitle(msg),
					amount: await readAmount(msg),
					description: await readDescription(msg),
					contacts: linkContact && typeof contactId === 'string' && contactId !== '' ? [contactId] : undefined,
				});
				msg.weeek.deal = deal;
				node.debug(`created WEEEK deal ${deal.id} in status ${statusId}`);
			},
		});
	}

	RED.nodes.registerType('weeek-deal', WeeekDeal);
}
