import { PICK_HINTS } from '../../helpers/parameters';
import { dealLocator, contactLocator } from '../common.descriptions';
import { relationOperation } from '../relation';

export const { properties, execute } = relationOperation({
	resource: 'deal',
	operation: 'removeContact',
	owner: { property: dealLocator, description: 'The deal to unlink the contact from', outputKey: 'dealId', hint: PICK_HINTS.deal },
	related: { property: contactLocator, description: 'The contact to unlink', outputKey: 'contactId', hint: PICK_HINTS.contact },
	apply: async (client, dealId, relatedId) => await client.removeContactFromDeal(dealId, relatedId as string),
});
