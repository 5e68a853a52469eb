import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { router } from './actions/router';
import { versionDescription } from './actions/versionDescription';
import { searchFunnels } from './methods/listSearch';
import { getDealCustomFields, getStatuses } from './methods/loadOptions';

export class Weeek implements INodeType {
	description: INodeTypeDescription = versionDescription;

	methods = {
		listSearch: { searchFunnels },
		loadOptions: { getDealCustomFields, getStatuses },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
