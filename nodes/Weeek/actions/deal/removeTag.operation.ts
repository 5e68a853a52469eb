import { PICK_HINTS } from '../../helpers/parameters';
import { dealLocator, tagOptions } from '../common.descriptions';
import { relationOperation } from '../relation';

export const { properties, execute } = relationOperation({
	resource: 'deal',
	operation: 'removeTag',
	owner: { property: dealLocator, description: 'The deal to untag', outputKey: 'dealId', hint: PICK_HINTS.deal },
	related: { property: tagOptions, description: 'The tag to remove; its ID is a whole number. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.', outputKey: 'tagId', isTag: true },
	apply: async (client, dealId, relatedId) => await client.removeTagFromDeal(dealId, relatedId as number),
});
