/**
 * Reads resource and operation once, runs the operation for every item and handles failures
 * the same way for all operations: paired items, Continue On Fail and the error output.
 */
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mapWithConcurrency } from '../../../shared/concurrency';
import type { WeeekClient } from '../../../shared/weeek/client';
import { toNodeError } from '../helpers/errors';
import type { DryRunRequest } from '../../../shared/weeek/dryRun';
import { createDryRunClient, createWeeekClient } from '../transport';
import * as contact from './contact/Contact.resource';
import * as deal from './deal/Deal.resource';
import * as funnel from './funnel/Funnel.resource';
import * as lead from './lead/Lead.resource';
import * as member from './member/Member.resource';
import * as organization from './organization/Organization.resource';
import * as status from './status/Status.resource';

type OperationExecute = (this: IExecuteFunctions, itemIndex: number, client: WeeekClient) => Promise<IDataObject | IDataObject[]>;

const PARALLEL_LEADS = 4;

/** Operations that never call WEEEK, so they run without a credential. */
const OFFLINE_OPERATIONS = new Set(['lead.normalize']);

const resources: Record<string, Record<string, { execute: OperationExecute }>> = {
	contact: contact.operations,
	deal: deal.operations,
	funnel: funnel.operations,
	lead: lead.operations,
	member: member.operations,
	organization: organization.operations,
	status: status.operations,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;

	const operationModule = resources[resource]?.[operation];
	if (operationModule === undefined) {
		throw new NodeOperationError(this.getNode(), `The operation '${operation}' of resource '${resource}' is not supported by this version of the WEEEK node`);
	}

	const offline = OFFLINE_OPERATIONS.has(`${resource}.${operation}`);
	const dryRun = !offline && this.getNodeParameter('dryRun', 0, false) === true;
	const client = dryRun || offline ? undefined : await createWeeekClient(this);
	// Lead → Create Deal overlaps WEEEK round trips for big batches; the shared rate limiter still
	// caps requests per second, and deliveries of one lead never run side by side.
	const lanes = `${resource}.${operation}` === 'lead.createDeal' && !dryRun ? PARALLEL_LEADS : 1;

	const perItem = await mapWithConcurrency(items, lanes, async (_item, itemIndex): Promise<INodeExecutionData[]> => {
		try {
			const requests: DryRunRequest[] = [];
			const itemClient = dryRun ? createDryRunClient(requests) : client;
			const result = await operationModule.execute.call(this, itemIndex, itemClient as WeeekClient);
			const data = dryRun ? withDryRunRequests(result, requests) : result;
			return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(data), { itemData: { item: itemIndex } });
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;

			return [failedItem(this.getNode().onError, items[itemIndex].json, nodeError.message, itemIndex)];
		}
	});

	const output = perItem.flat();
	return [output];
}

/**
 * Adds the recorded requests under `dryRun`. Lists return nothing in a dry run, so a Get Many
 * there has no records. It still outputs one item, to show the requests it would send.
 */
function withDryRunRequests(result: IDataObject | IDataObject[], requests: DryRunRequest[]): IDataObject | IDataObject[] {
	const dryRun = { requests } as unknown as IDataObject;
	if (!Array.isArray(result)) return { ...result, dryRun };
	if (result.length === 0) return { dryRun };
	return result.map((record) => ({ ...record, dryRun }));
}

/**
 * Builds the item of a failed input item so that the lead is never dropped. n8n replaces the JSON of
 * any output item that has an `error` property with `{ error }` (n8n-core 1.123 and 2.40), so the
 * reason goes into `json.error` only. For the error output, n8n itself merges the input item's
 * fields into an item whose JSON is `{ error }`; for the regular output the node copies them.
 */
function failedItem(onError: INode['onError'], input: IDataObject, message: string, itemIndex: number): INodeExecutionData {
	const json = onError === 'continueErrorOutput' ? { error: message } : { ...input, error: message };
	return { json, pairedItem: { item: itemIndex } };
}
