/**
 * `weeek-contact`: creates a WEEEK contact from the lead in `msg.payload`, or from fields set in
 * the node (TypedInput: msg, flow, global, env, JSONata or text). The contact goes to
 * `msg.weeek.contact`; `msg.payload` keeps the lead.
 */
import { ConfigurationError } from '../../shared/errors';
import { normalizeEmails } from '../../shared/leads/email';
import { normalizePhones } from '../../shared/leads/phone';
import type { ContactInput } from '../../shared/weeek/client';
import { contactFromLead, requireLead } from './lib/leadMapping';
import type { NodeAPI, NodeDefinition, NodeInstance, NodeMessage } from './lib/nodeRed';
import { evaluateProperty, optionalText, textList } from './lib/properties';
import { handleWeeekInput, isDryRun } from './lib/weeekNode';

/** Fields of the "from the fields below" mode, each a value plus its TypedInput type. */
const FIELDS = ['firstName', 'lastName', 'middleName', 'emails', 'phones'] as const;
type Field = (typeof FIELDS)[number];

export default function register(RED: NodeAPI): void {
	function WeeekContact(this: NodeInstance, definition: NodeDefinition): void {
		RED.nodes.createNode(this, definition);
		const node = this;
		const fromLead = definition.mode !== 'fields';
		const normalize = definition.normalizePhones !== false;

		const readFields = async (msg: NodeMessage): Promise<ContactInput> => {
			const values = {} as Record<Field, unknown>;
			for (const field of FIELDS) {
				values[field] = await evaluateProperty(RED, node, msg, {
					label: field,
					value: definition[field] ?? '',
					type: typeof definition[`${field}Type`] === 'string' ? (definition[`${field}Type`] as string) : 'str',
				});
			}

			const firstName = optionalText(values.firstName);
			if (firstName === undefined) {
				throw new ConfigurationError(
					'missingFirstName',
					'The first name is empty: WEEEK requires a first name for every contact, so map a name field or type one in',
				);
			}

			const emails = normalizeEmails(values.emails);
			const phones = normalize ? normalizePhones(values.phones).phones : textList(values.phones);
			return {
				firstName,
				lastName: optionalText(values.lastName),
				middleName: optionalText(values.middleName),
				emails: emails.length > 0 ? emails : undefined,
				phones: phones.length > 0 ? phones : undefined,
			};
		};

		handleWeeekInput(RED, node, {
			configId: definition.config,
			doneKey: 'status.created',
			dryRun: isDryRun(definition),
			run: async (msg, client) => {
				const input = fromLead ? contactFromLead(requireLead(msg.payload, 'WEEEK Contact')) : await readFields(msg);
				const contact = await client.createContact(input);
				msg.weeek.contact = contact;
				node.debug(`created WEEEK contact ${contact.id}`);
			},
		});
	}

	RED.nodes.registerType('weeek-contact', WeeekContact);
}
