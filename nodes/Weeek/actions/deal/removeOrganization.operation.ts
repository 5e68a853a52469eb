import { PICK_HINTS } from '../../helpers/parameters';
import { dealLocator, organizationLocator } from '../common.descriptions';
import { relationOperation } from '../relation';

export const { properties, execute } = relationOperation({
	resource: 'deal',
	operation: 'removeOrganization',
	owner: { property: dealLocator, description: 'The deal to unlink the organization from', outputKey: 'dealId', hint: PICK_HINTS.deal },
	related: { property: organizationLocator, description: 'The organization to unlink', outputKey: 'organizationId', hint: PICK_HINTS.organization },
	apply: async (client, dealId, relatedId) => await client.removeOrganizationFromDeal(dealId, relatedId as string),
});
