import { PICK_HINTS } from '../../helpers/parameters';
import { dealLocator, organizationLocator } from '../common.descriptions';
import { relationOperation } from '../relation';

export const { properties, execute } = relationOperation({
	resource: 'organization',
	operation: 'addToDeal',
	owner: { property: organizationLocator, description: 'The organization to link to the deal', outputKey: 'organizationId', hint: PICK_HINTS.organization },
	related: { property: dealLocator, description: 'The deal to link the organization to', outputKey: 'dealId', hint: PICK_HINTS.deal },
	// WEEEK keeps this link on the deal, under /crm/deals/{id}/organizations.
	apply: async (client, organizationId, dealId) => await client.addOrganizationToDeal(dealId as string, organizationId),
});
