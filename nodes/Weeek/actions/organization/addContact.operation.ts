import { PICK_HINTS } from '../../helpers/parameters';
import { contactLocator, organizationLocator } from '../common.descriptions';
import { relationOperation } from '../relation';

export const { properties, execute } = relationOperation({
	resource: 'organization',
	operation: 'addContact',
	owner: { property: organizationLocator, description: 'The organization to link the contact to', outputKey: 'organizationId', hint: PICK_HINTS.organization },
	related: { property: contactLocator, description: 'The contact to link', outputKey: 'contactId', hint: PICK_HINTS.contact },
	apply: async (client, organizationId, contactId) => await client.addContactToOrganization(organizationId, contactId as string),
});
