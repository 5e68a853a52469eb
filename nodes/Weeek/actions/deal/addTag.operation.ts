import { PICK_HINTS } from '../../helpers/parameters';
import { dealLocator, tagOptions } from '../common.descriptions';
import { relationOperation } from '../relation';

export const { properties, execute } = relationOperation({
	resource: 'deal',
	operation: 'addTag',
	owner: { property: dealLocator, description: 'The deal to tag', outputKey: 'dealId', hint: PICK_HINTS.deal },
	related: { property: tagOptions, description: 'The tag to add; its ID is a whole number. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.', outputKey: 'tagId', isTag: true },
	apply: async (client, dealId, relatedId) => await client.addTagToDeal(dealId, relatedId as number),
});
