import { PICK_HINTS } from '../../helpers/parameters';
import { dealLocator, memberOptions } from '../common.descriptions';
import { relationOperation } from '../relation';

export const { properties, execute } = relationOperation({
	resource: 'deal',
	operation: 'addAssignee',
	owner: { property: dealLocator, description: 'The deal to assign the member to', outputKey: 'dealId', hint: PICK_HINTS.deal },
	related: { property: memberOptions, description: 'The workspace member to assign. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.', outputKey: 'assigneeId', hint: PICK_HINTS.member },
	apply: async (client, dealId, relatedId) => await client.addAssigneeToDeal(dealId, relatedId as string),
});
