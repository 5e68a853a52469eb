/**
 * Starts a workflow when WEEEK gets a new deal, a deal moves to a status, a deal is won or lost, or
 * a contact is created. WEEEK has no webhooks, so n8n polls on the node's schedule and the shared
 * watch core (`shared/watch`) compares each poll with the state kept in the workflow's static data.
 *
 * Delivery: the new state goes into static data together with the items, and n8n saves static data
 * when the execution the poll started finishes. A crash before that save repeats the poll's events
 * on the next poll (at least once), and nothing is skipped. A poll without events changes the state
 * in memory only. If n8n stops before a later save, the next poll compares against the older state
 * and reaches the same verdicts, because those changes produced no events.
 */
import type {
	IDataObject,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { ConfigurationError, WeeekError } from '../../shared/errors';
import { pollWatch, readWatchState, sampleWatchEvent, type WatchEvent, type WatchSettings } from '../../shared/watch';
import { funnelLocator } from '../Weeek/actions/common.descriptions';
import { searchFunnels } from '../Weeek/methods/listSearch';
import { getStatuses } from '../Weeek/methods/loadOptions';
import { createWeeekClient } from '../Weeek/transport';

const DEAL_EVENTS = ['newDeal', 'dealMoved', 'dealWonOrLost'];

/** Static data key of the watch state. */
const STATE_KEY = 'weeekWatch';

const properties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Deal Moved to Status',
				value: 'dealMoved',
				description: 'A deal of the funnel is now in another status than at the previous poll',
			},
			{ name: 'Deal Won or Lost', value: 'dealWonOrLost', description: 'A deal of the funnel was marked won or lost' },
			{ name: 'New Contact', value: 'newContact', description: 'A contact was created in the workspace' },
			{ name: 'New Deal', value: 'newDeal', description: 'A deal was created in the funnel' },
		],
		default: 'newDeal',
	},
	{
		...funnelLocator,
		description: 'The WEEEK funnel (pipeline) whose deals are watched',
		displayOptions: { show: { event: DEAL_EVENTS } },
	},
	{
		displayName: 'Status Names or IDs',
		name: 'statuses',
		type: 'multiOptions',
		default: [],
		typeOptions: { loadOptionsMethod: 'getStatuses', loadOptionsDependsOn: ['funnel.value'] },
		displayOptions: { show: { event: ['newDeal', 'dealMoved'] } },
		description:
			'Only deals in these statuses start the workflow; leave empty for every status of the funnel. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Outcome',
		name: 'outcome',
		type: 'options',
		options: [
			{ name: 'Either', value: 'either', description: 'Deals marked won and deals marked lost' },
			{ name: 'Lost', value: 'lost', description: 'Only deals marked lost' },
			{ name: 'Won', value: 'won', description: 'Only deals marked won' },
		],
		default: 'either',
		displayOptions: { show: { event: ['dealWonOrLost'] } },
	},
	{
		displayName:
			'The first poll after the first activation only remembers the current deals or contacts and starts nothing. After the workflow was off, the next poll reports what changed meanwhile, once. "Fetch Test Event" returns the newest matching record without changing what the trigger remembers.',
		name: 'baselineNotice',
		type: 'notice',
		default: '',
	},
];

export class WeeekTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WEEEK Trigger',
		name: 'weeekTrigger',
		icon: { light: 'file:../../icons/weeek.svg', dark: 'file:../../icons/weeek.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"On " + $parameter["event"]}}',
		description: 'Starts the workflow on new deals, deals moved to a status, deals won or lost, and new contacts in WEEEK CRM',
		defaults: { name: 'WEEEK Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'weeekApi', required: true }],
		properties,
	};

	methods = {
		listSearch: { searchFunnels },
		loadOptions: { getStatuses },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const settings = readSettings(this);

		try {
			const client = await createWeeekClient(this);

			// A test run shows the newest matching record so fields can be mapped, and keeps the state.
			if (this.getMode() === 'manual') {
				const sample = await sampleWatchEvent(client, settings);
				if (sample === undefined) {
					throw new NodeOperationError(this.getNode(), 'WEEEK has no record that fits these settings yet', {
						description: 'Create a matching deal or contact in WEEEK, then fetch the test event again.',
					});
				}
				return [this.helpers.returnJsonArray([toItem(sample)])];
			}

			const staticData = this.getWorkflowStaticData('node');
			const state = readWatchState(staticData[STATE_KEY], (problem) =>
				this.logger.warn(`The stored WEEEK Trigger state is not valid (${problem}); setting a new baseline`),
			);
			const result = await pollWatch({ client, settings, state, logger: this.logger });
			staticData[STATE_KEY] = result.state as unknown as IDataObject;

			if (result.events.length === 0) return null;
			return [this.helpers.returnJsonArray(result.events.map(toItem))];
		} catch (error) {
			throw toTriggerError(this, error);
		}
	}
}

function readSettings(context: IPollFunctions): WatchSettings {
	const event = context.getNodeParameter('event') as WatchSettings['event'];
	const deals = DEAL_EVENTS.includes(event);
	const statuses = event === 'newDeal' || event === 'dealMoved' ? context.getNodeParameter('statuses', []) : [];

	return {
		event,
		funnelId: deals ? String(context.getNodeParameter('funnel', '', { extractValue: true }) ?? '') : undefined,
		statusIds: Array.isArray(statuses) ? statuses.map(String) : String(statuses).split(',').map((id) => id.trim()),
		outcome: event === 'dealWonOrLost' ? (context.getNodeParameter('outcome', 'either') as WatchSettings['outcome']) : undefined,
	};
}

/** Builds one item per event: the WEEEK record, the event name and, for moves and closes, the previous value. */
function toItem(event: WatchEvent): IDataObject {
	const item: IDataObject = { ...(event.record as IDataObject), event: event.event };
	if (event.previousStatusId !== undefined) item.previousStatusId = event.previousStatusId;
	if (event.previousWinStatus !== undefined) item.previousWinStatus = event.previousWinStatus;
	return item;
}

function toTriggerError(context: IPollFunctions, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;

	if (error instanceof WeeekError) {
		return new NodeApiError(context.getNode(), { message: error.message, code: error.code }, {
			message: error.message,
			description: 'The trigger keeps what it remembered before this poll, so the next poll reads the same period again and misses nothing.',
			httpCode: error.httpStatus === undefined ? undefined : String(error.httpStatus),
		});
	}
	if (error instanceof ConfigurationError) return new NodeOperationError(context.getNode(), error.message);
	return new NodeOperationError(context.getNode(), error instanceof Error ? error : String(error));
}
