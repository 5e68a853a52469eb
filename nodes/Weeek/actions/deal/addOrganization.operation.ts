import { PICK_HINTS } from '../../helpers/parameters';
import { dealLocator, organizationLocator } from '../common.descriptions';
import { relationOperation } from '../relation';

export const { properties, execute } = relationOperation({
	resource: 'deal',
	operation: 'addOrganization',
	owner: { property: dealLocator, description: 'The deal to link the organization to', outputKey: 'dealId', hint: PICK_HINTS.deal },
	related: { property: organizationLocator, description: 'The organization to link', outputKey: 'organizationId', hint: PICK_HINTS.organization },
	apply: async (client, dealId, relatedId) => await client.addOrganizationToDeal(dealId, relatedId as string),
});
