/**
 * Polls lead sources that offer no push delivery (myTarget / Odnoklassniki lead forms) and starts
 * the workflow with every new lead, normalized. The cursor and the recently emitted dedup keys
 * live in the workflow's static data, so a restart neither repeats nor skips leads.
 */
import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes } from 'n8n-workflow';

import { pollMyTargetLeads, type MyTargetPollState } from '../../shared/leads/mytargetPoll';

const MANUAL_LOOKBACK_MS = 7 * 24 * 60 * 60 * 1000;

export class WeeekLeadPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WEEEK Lead Poll Trigger',
		name: 'weeekLeadPollTrigger',
		icon: { light: 'file:../../icons/weeek.svg', dark: 'file:../../icons/weeek.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Source: " + $parameter["source"]}}',
		description: 'Checks myTarget (Odnoklassniki) lead forms on a schedule and starts the workflow with each new lead, normalized',
		defaults: { name: 'WEEEK Lead Poll Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'weeekMyTargetApi', required: true }],
		properties: [
			{
				displayName: 'Source',
				name: 'source',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'myTarget Lead Forms', value: 'mytarget', description: 'Odnoklassniki lead forms run through myTarget' }],
				default: 'mytarget',
			},
			{
				displayName: 'Form IDs',
				name: 'formIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 7001, 7002',
				description: 'Lead form IDs separated by commas; leave empty to poll every form that has leads',
			},
			{
				displayName: 'First Poll Looks Back (Hours)',
				name: 'lookbackHours',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'How far back the first poll after activation reads leads; 0 emits only leads created after activation',
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const credentials = await this.getCredentials('weeekMyTargetApi');
		const baseUrl = String(credentials.baseUrl || 'https://target.my.com').replace(/\/+$/, '');
		const formIds = String(this.getNodeParameter('formIds', ''))
			.split(/[,;\s]+/)
			.filter((id) => id !== '');

		// A manual run shows recent leads without moving the saved cursor.
		const manual = this.getMode() === 'manual';
		const staticData = this.getWorkflowStaticData('node') as { mytarget?: MyTargetPollState };
		const state: MyTargetPollState = manual ? {} : (staticData.mytarget ??= {});
		const lookbackMs = manual ? MANUAL_LOOKBACK_MS : Number(this.getNodeParameter('lookbackHours', 0)) * 3_600_000;

		try {
			const leads = await pollMyTargetLeads({
				get: async (path, query) =>
					await this.helpers.httpRequestWithAuthentication.call(this, 'weeekMyTargetApi', {
						method: 'GET',
						url: baseUrl + path,
						qs: query,
						json: true,
						timeout: 30_000,
					}),
				formIds,
				state,
				now: Date.now(),
				firstPollLookbackMs: lookbackMs,
				logger: this.logger,
			});

			if (leads.length === 0) return null;
			return [leads.map((lead) => ({ json: lead as unknown as IDataObject }))];
		} catch (error) {
			throw new NodeApiError(this.getNode(), { message: (error as Error).message }, {
				message: `Reading myTarget leads failed: ${(error as Error).message}`,
				description: 'Check the access token and form IDs in the credential and node. The next poll reads the same period again, so no lead is lost.',
			});
		}
	}
}
