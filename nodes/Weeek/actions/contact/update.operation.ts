import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ConfigurationError } from '../../../../shared/errors';
import { normalizePhones } from '../../../../shared/leads/phone';
import type { ContactChanges, WeeekClient } from '../../../../shared/weeek/client';
import { PICK_HINTS, parseEmails, readRequiredId, requireSomethingToUpdate } from '../../helpers/parameters';
import { contactLocator, splitList } from '../common.descriptions';

const show = { resource: ['contact'], operation: ['update'] };

export const properties: INodeProperties[] = [
	{ ...contactLocator, description: 'The contact to change', displayOptions: { show } },
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		description: 'Fields to change; the contact keeps the value of every field not listed here',
		options: [
			{
				displayName: 'Emails',
				name: 'emails',
				type: 'string',
				default: '',
				placeholder: 'e.g. ivan@example.com, sales@example.com',
				description: 'Replaces all e-mail addresses of the contact; separate several with commas, leave empty to remove them all',
			},
			{
				displayName: 'First Name',
				name: 'firstName',
				type: 'string',
				default: '',
				description: 'New first name; WEEEK requires one, so it cannot be empty',
			},
			{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '', description: 'New last name; leave empty to remove it' },
			{ displayName: 'Middle Name', name: 'middleName', type: 'string', default: '', description: 'New patronymic; leave empty to remove it' },
			{
				displayName: 'Normalize Phones',
				name: 'normalizePhones',
				type: 'boolean',
				default: true,
				description: 'Whether to rewrite Russian and Kazakh numbers such as 8 (999) 000-12-34 to E.164 (+79990001234)',
			},
			{
				displayName: 'Phones',
				name: 'phones',
				type: 'string',
				default: '',
				placeholder: 'e.g. +7 999 000-12-34',
				description: 'Replaces all phone numbers of the contact; separate several with commas or semicolons, leave empty to remove them all',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject> {
	const contactId = readRequiredId(this, 'contact', itemIndex, 'Contact', PICK_HINTS.contact);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;

	const changes = readChanges(fields);
	requireSomethingToUpdate(fields, changes);

	// WEEEK updates contacts only by a PUT that needs the first name, so patchContact reads the contact and resends what it keeps.
	const contact = await client.patchContact(contactId, changes);
	return contact as IDataObject;
}

function readChanges(fields: IDataObject): ContactChanges {
	const changes: ContactChanges = {};

	if (fields.firstName !== undefined) {
		const firstName = String(fields.firstName).trim();
		if (firstName === '') {
			throw new ConfigurationError(
				'emptyFirstName',
				"The parameter 'First Name' under 'Update Fields' is empty: WEEEK requires a first name on every contact, so enter one or remove the field to keep the current name",
				{ parameter: 'First Name' },
			);
		}
		changes.firstName = firstName;
	}
	if (fields.lastName !== undefined) changes.lastName = String(fields.lastName).trim();
	if (fields.middleName !== undefined) changes.middleName = String(fields.middleName).trim();
	// NOTE: WEEEK does not document whether a contact PUT replaces or extends e-mails and phones. The sandbox replaces them.
	if (fields.emails !== undefined) changes.emails = parseEmails(fields.emails, 'Emails');
	if (fields.phones !== undefined) {
		const phones = splitList(fields.phones);
		changes.phones = fields.normalizePhones === false ? phones : normalizePhones(phones).phones;
	}

	return changes;
}
