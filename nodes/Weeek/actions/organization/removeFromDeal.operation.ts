import { PICK_HINTS } from '../../helpers/parameters';
import { dealLocator, organizationLocator } from '../common.descriptions';
import { relationOperation } from '../relation';

export const { properties, execute } = relationOperation({
	resource: 'organization',
	operation: 'removeFromDeal',
	owner: { property: organizationLocator, description: 'The organization to unlink from the deal', outputKey: 'organizationId', hint: PICK_HINTS.organization },
	related: { property: dealLocator, description: 'The deal to unlink the organization from', outputKey: 'dealId', hint: PICK_HINTS.deal },
	// WEEEK keeps this link on the deal, under /crm/deals/{id}/organizations.
	apply: async (client, organizationId, dealId) => await client.removeOrganizationFromDeal(dealId as string, organizationId),
});
