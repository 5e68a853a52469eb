/**
 * `weeek-link`: links a WEEEK contact to a deal. The ids default to `msg.weeek.deal.id` and
 * `msg.weeek.contact.id`, which the Deal and Contact nodes set. WEEEK keeps one link however often
 * the same pair is linked, so a contact already linked when the deal was created is no problem.
 */
import { ConfigurationError } from '../../shared/errors';
import type { NodeAPI, NodeDefinition, NodeInstance } from './lib/nodeRed';
import { evaluateProperty, optionalText } from './lib/properties';
import { handleWeeekInput, isDryRun } from './lib/weeekNode';

export default function register(RED: NodeAPI): void {
	function WeeekLink(this: NodeInstance, definition: NodeDefinition): void {
		RED.nodes.createNode(this, definition);
		const node = this;

		const property = (name: 'dealId' | 'contactId', fallback: string) => {
			const type = typeof definition[`${name}Type`] === 'string' && definition[`${name}Type`] !== '' ? (definition[`${name}Type`] as string) : 'msg';
			const value = typeof definition[name] === 'string' && definition[name] !== '' ? definition[name] : fallback;
			return { label: name, value, type };
		};
		const dealIdProperty = property('dealId', 'weeek.deal.id');
		const contactIdProperty = property('contactId', 'weeek.contact.id');

		handleWeeekInput(RED, node, {
			configId: definition.config,
			doneKey: 'status.linked',
			dryRun: isDryRun(definition),
			run: async (msg, client) => {
				const dealId = optionalText(await evaluateProperty(RED, node, msg, dealIdProperty));
				const contactId = optionalText(await evaluateProperty(RED, node, msg, contactIdProperty));
				if (dealId === undefined) {
					throw new ConfigurationError(
						'missingDealId',
						`No deal id in ${dealIdProperty.type}.${String(dealIdProperty.value)}: put a WEEEK Deal node before this one or set where the id comes from`,
						{ source: `${dealIdProperty.type}.${String(dealIdProperty.value)}` },
					);
				}
				if (contactId === undefined) {
					throw new ConfigurationError(
						'missingContactId',
						`No contact id in ${contactIdProperty.type}.${String(contactIdProperty.value)}: put a WEEEK Contact node before this one or set where the id comes from`,
						{ source: `${contactIdProperty.type}.${String(contactIdProperty.value)}` },
					);
				}

				await client.addContactToDeal(dealId, contactId);
				msg.weeek.link = { dealId, contactId };
				node.debug(`linked WEEEK contact ${contactId} to deal ${dealId}`);
			},
		});
	}

	RED.nodes.registerType('weeek-link', WeeekLink);
}
