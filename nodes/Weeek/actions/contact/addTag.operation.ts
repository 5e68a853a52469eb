import { PICK_HINTS } from '../../helpers/parameters';
import { contactLocator, tagOptions } from '../common.descriptions';
import { relationOperation } from '../relation';

export const { properties, execute } = relationOperation({
	resource: 'contact',
	operation: 'addTag',
	owner: { property: contactLocator, description: 'The contact to tag', outputKey: 'contactId', hint: PICK_HINTS.contact },
	related: {
		property: tagOptions,
		description:
			'The tag to add; its ID is a whole number. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		outputKey: 'tagId',
		isTag: true,
	},
	apply: async (client, contactId, tagId) => await client.addTagToContact(contactId, tagId as number),
});
