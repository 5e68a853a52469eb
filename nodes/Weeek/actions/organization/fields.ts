/**
 * Organization fields shared by Create (under Additional Fields) and Update (under Update Fields).
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { OrganizationChanges } from '../../../../shared/weeek/client';
import { parseEmails } from '../../helpers/parameters';
import { splitList } from '../common.descriptions';

export const organizationFieldOptions: INodeProperties[] = [
	{
		displayName: 'Addresses',
		name: 'addresses',
		type: 'string',
		default: '',
		placeholder: 'e.g. Moscow, Tverskaya 1; Kazan, Baumana 5',
		description: 'One or more postal addresses separated by semicolons or new lines',
	},
	{
		displayName: 'Emails',
		name: 'emails',
		type: 'string',
		default: '',
		placeholder: 'e.g. office@example.com',
		description: 'One or more e-mail addresses separated by commas',
	},
	{
		displayName: 'Phones',
		name: 'phones',
		type: 'string',
		default: '',
		placeholder: 'e.g. +7 495 000-12-34',
		description: 'One or more phone numbers separated by commas or semicolons, stored as typed',
	},
	{
		displayName: 'Responsible Name or ID',
		name: 'responsibleId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getMembers' },
		default: '',
		description:
			'Workspace member responsible for the organization. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
];

/** Reads the organization fields present in `fields`; an empty list field clears that list. */
export function readOrganizationFields(fields: IDataObject): OrganizationChanges {
	const changes: OrganizationChanges = {};

	// Addresses often contain commas, so only semicolons and new lines separate them.
	if (fields.addresses !== undefined) changes.addresses = splitAddresses(fields.addresses);
	if (fields.emails !== undefined) changes.emails = parseEmails(fields.emails, 'Emails');
	if (fields.phones !== undefined) changes.phones = splitList(fields.phones);
	if (fields.responsibleId !== undefined) {
		const responsible = String(fields.responsibleId).trim();
		changes.responsibles = responsible === '' ? [] : [responsible];
	}

	return changes;
}

function splitAddresses(value: unknown): string[] {
	const entries = Array.isArray(value) ? value.map(String) : String(value).split(/[;\n]/);
	return entries.map((entry) => entry.trim()).filter((entry) => entry !== '');
}
