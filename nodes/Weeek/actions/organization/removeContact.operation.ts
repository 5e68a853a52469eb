import { PICK_HINTS } from '../../helpers/parameters';
import { contactLocator, organizationLocator } from '../common.descriptions';
import { relationOperation } from '../relation';

export const { properties, execute } = relationOperation({
	resource: 'organization',
	operation: 'removeContact',
	owner: { property: organizationLocator, description: 'The organization to unlink the contact from', outputKey: 'organizationId', hint: PICK_HINTS.organization },
	related: { property: contactLocator, description: 'The contact to unlink', outputKey: 'contactId', hint: PICK_HINTS.contact },
	apply: async (client, organizationId, contactId) => await client.removeContactFromOrganization(organizationId, contactId as string),
});
