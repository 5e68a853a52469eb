import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { normalizeEmails } from '../../../../shared/leads/email';
import { normalizePhones } from '../../../../shared/leads/phone';
import type { WeeekClient } from '../../../../shared/weeek/client';
import { ConfigurationError } from '../../../../shared/errors';
import { splitList } from '../common.descriptions';

const show = { resource: ['contact'], operation: ['create'] };

export const properties: INodeProperties[] = [
	{
		displayName: 'First Name',
		name: 'firstName',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show },
		description: 'WEEEK requires a first name for every contact',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Emails',
				name: 'emails',
				type: 'string',
				default: '',
				placeholder: 'e.g. ivan@example.com, sales@example.com',
				description: 'One or more e-mail addresses separated by commas; they are trimmed and lower-cased',
			},
			{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
			{ displayName: 'Middle Name', name: 'middleName', type: 'string', default: '', description: 'Patronymic' },
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
				description: 'One or more phone numbers separated by commas or semicolons',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject> {
	const firstName = String(this.getNodeParameter('firstName', itemIndex, '')).trim();
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;

	if (firstName === '') {
		throw new ConfigurationError('missingFirstName', "The parameter 'First Name' is empty: WEEEK requires a first name for every contact, so map a name field or type one in");
	}

	const rawPhones = splitList(fields.phones);
	const phones = fields.normalizePhones === false ? rawPhones : normalizePhones(rawPhones).phones;

	const contact = await client.createContact({
		firstName,
		lastName: optionalString(fields.lastName),
		middleName: optionalString(fields.middleName),
		emails: normalizeEmails(splitList(fields.emails)),
		phones,
	});
	return contact as IDataObject;
}

function optionalString(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
