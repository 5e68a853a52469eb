/**
 * Builds the attach and detach operations (add or remove a contact, organization, assignee or
 * tag). They differ only in their two parameters and the client call, so each operation file
 * describes those and this module supplies the rest. Each outputs `{success: true}` plus both IDs.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WeeekClient } from '../../../shared/weeek/client';
import { parseTagId, readRequiredId } from '../helpers/parameters';

export interface RelationEnd {
	/** The shared parameter definition (a resource locator or a dropdown). */
	property: INodeProperties;
	/** Description shown for this operation, saying what the record is used for. */
	description: string;
	/** Output key of the ID, such as `dealId`. */
	outputKey: string;
	/** End of the error for an empty parameter, telling where the user gets the value. Tags have their own message. */
	hint?: string;
	/** Whether the value is a WEEEK tag ID, which must be a whole number. */
	isTag?: boolean;
}

export interface RelationSpec {
	resource: string;
	operation: string;
	/** The record of the operation's resource, shown first. */
	owner: RelationEnd;
	/** The record added to it or removed from it, shown second. */
	related: RelationEnd;
	apply: (client: WeeekClient, ownerId: string, relatedId: string | number) => Promise<void>;
}

export interface OperationModule {
	properties: INodeProperties[];
	execute: (this: IExecuteFunctions, itemIndex: number, client: WeeekClient) => Promise<IDataObject>;
}

export function relationOperation(spec: RelationSpec): OperationModule {
	const show = { resource: [spec.resource], operation: [spec.operation] };
	const properties = [spec.owner, spec.related].map((end) => ({ ...end.property, description: end.description, displayOptions: { show } }));

	async function execute(this: IExecuteFunctions, itemIndex: number, client: WeeekClient): Promise<IDataObject> {
		const ownerId = readEnd(this, spec.owner, itemIndex);
		const relatedId = readEnd(this, spec.related, itemIndex);

		await spec.apply(client, ownerId as string, relatedId);
		return { success: true, [spec.owner.outputKey]: ownerId, [spec.related.outputKey]: relatedId };
	}

	return { properties, execute };
}

function readEnd(context: IExecuteFunctions, end: RelationEnd, itemIndex: number): string | number {
	const label = end.property.displayName;
	if (end.isTag) return parseTagId(context.getNodeParameter(end.property.name, itemIndex, ''), label);
	return readRequiredId(context, end.property.name, itemIndex, label, end.hint ?? 'pick a value from the list or enter an ID');
}
