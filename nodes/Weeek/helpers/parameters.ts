/**
 * Readers for node parameters that every operation checks the same way, so a bad value fails
 * before anything is sent to WEEEK, with a message that names the parameter as the user sees it.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { ConfigurationError } from '../../../shared/errors';
import { normalizeEmailList } from '../../../shared/leads/email';
import type { WinStatus } from '../../../shared/weeek/client';
import { splitList } from '../actions/common.descriptions';

/**
 * Reads a record ID from a resource locator or a plain string parameter and rejects an empty one.
 * `label` is the parameter's display name, and `hint` ends the error by naming where the ID comes from.
 */
export function readRequiredId(context: IExecuteFunctions, name: string, itemIndex: number, label: string, hint: string): string {
	const value = context.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	const id = value === undefined || value === null ? '' : String(value).trim();
	if (id === '') {
		throw new ConfigurationError('missingParameter', `The parameter '${label}' is empty: ${hint}`, { parameter: label });
	}
	return id;
}

/** Parses a WEEEK tag ID, which is a whole number, from a dropdown value or an expression. */
export function parseTagId(value: unknown, label: string): number {
	const text = value === undefined || value === null ? '' : String(value).trim();
	if (text === '') {
		throw new ConfigurationError('missingParameter', `The parameter '${label}' is empty: pick a tag from the list or enter its numeric ID`, { parameter: label });
	}
	if (!/^\d+$/.test(text)) {
		throw new ConfigurationError(
			'invalidTagId',
			`The parameter '${label}' must be a WEEEK tag ID, a whole number such as 3, not '${text}': pick the tag from the list`,
			{ parameter: label, value: text },
		);
	}
	return Number(text);
}

/** Parses a list of tag IDs from a multi-select, an array from an expression, or comma-separated text. */
export function parseTagIds(value: unknown, label: string): number[] {
	return splitList(value).map((entry) => parseTagId(entry, label));
}

/** Reads `returnAll` and `limit`; returns the maximum number of records, or `undefined` for all of them. */
export function readMaxResults(context: IExecuteFunctions, itemIndex: number): number | undefined {
	if (context.getNodeParameter('returnAll', itemIndex, false) === true) return undefined;

	const limit = Number(context.getNodeParameter('limit', itemIndex, 50));
	if (!Number.isInteger(limit) || limit < 1) {
		throw new ConfigurationError('invalidLimit', `The parameter 'Limit' must be a whole number of at least 1, not '${String(limit)}'`, { parameter: 'Limit' });
	}
	return limit;
}

const WIN_STATUS_VALUES = ['won', 'lost', 'archived'];

/**
 * Parses a win status. `open` (or an empty value when `allowOpen` is set) becomes `null`, which
 * reopens a deal that was won, lost or archived.
 */
export function parseWinStatus(value: unknown, label: string, allowOpen: boolean): WinStatus | null {
	const text = String(value ?? '').trim().toLowerCase();
	// NOTE: WEEEK does not document whether `winStatus: null` reopens a deal. The sandbox assumes it does.
	if (allowOpen && (text === 'open' || text === '')) return null;
	if (WIN_STATUS_VALUES.includes(text)) return text as WinStatus;

	const allowed = allowOpen ? 'open, won, lost or archived' : 'won, lost or archived';
	throw new ConfigurationError('invalidWinStatus', `The parameter '${label}' must be ${allowed}, not '${String(value)}'`, { parameter: label, value: String(value) });
}

/** Returns the trimmed text of an optional string field, or `undefined` when it is empty. */
export function optionalText(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Normalizes a comma-separated list of e-mail addresses and rejects a value that is not one. */
export function parseEmails(value: unknown, label: string): string[] {
	const { emails, rejected } = normalizeEmailList(splitList(value));
	if (rejected.length > 0) {
		throw new ConfigurationError('invalidEmail', `The parameter '${label}' contains '${rejected[0]}', which is not an e-mail address: correct or remove it`, {
			parameter: label,
			value: rejected[0],
		});
	}
	return emails;
}

/** Throws when an update collection has no field in it, so an update never becomes a silent no-op. */
export function requireSomethingToUpdate(fields: IDataObject, changes: object): void {
	if (Object.keys(fields).length === 0 || Object.keys(changes).length === 0) {
		throw new ConfigurationError('nothingToUpdate', "Nothing to update: add at least one field under 'Update Fields'", { parameter: 'Update Fields' });
	}
}

/** Returns `undefined` for an empty list, so WEEEK never receives an empty filter or relation list the user did not set. */
export function nonEmpty<T>(values: T[]): T[] | undefined {
	return values.length > 0 ? values : undefined;
}

/** Returns whether Dry Run is on, in which lookups return placeholders instead of real records. */
export function isDryRun(context: IExecuteFunctions, itemIndex: number): boolean {
	return context.getNodeParameter('dryRun', itemIndex, false) === true;
}

/** Second halves of the "parameter is empty" errors: where the user gets each kind of ID. */
export const PICK_HINTS = {
	deal: 'pick a deal from the list or map its ID, for example from a Deal → Create node',
	contact: 'pick a contact from the list or map its ID, for example from a Contact → Create node',
	organization: 'pick an organization from the list or map its ID, for example from an Organization → Create node',
	member: 'pick a member from the list or map a member ID from Member → Get Many',
	funnel: 'pick a funnel from the list or enter its ID',
	status: 'pick a funnel, then one of its statuses',
} as const;
