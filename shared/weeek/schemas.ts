/**
 * zod schemas of WEEEK responses, one per entity.
 *
 * `zod` is on n8n's allow-list and n8n supplies its own copy at run time, so the n8n package
 * declares no dependency on it. Only zod 3 API that 3.25 still has is used here.
 * Schemas check the fields the nodes rely on and pass everything else through untouched,
 * because WEEEK adds fields without notice.
 */
import { z } from 'zod';

// Quirk: funnel, status and deal ids are opaque strings; never coerce them to numbers.
const stringId = z.string().min(1);

export const userSchema = z
	.object({
		id: stringId,
		email: z.string().nullish(),
		firstName: z.string().nullish(),
		lastName: z.string().nullish(),
	})
	.passthrough();

export const customFieldDefinitionSchema = z
	.object({
		id: stringId,
		name: z.string().nullish(),
		type: z.string(),
		options: z.array(z.object({ id: stringId, name: z.string().nullish() }).passthrough()).nullish(),
	})
	.passthrough();

export const funnelSchema = z
	.object({
		id: stringId,
		name: z.string(),
		currencyId: z.number().nullish(),
		customFields: z.array(customFieldDefinitionSchema).nullish(),
	})
	.passthrough();

export const statusSchema = z
	.object({
		id: stringId,
		name: z.string(),
	})
	.passthrough();

// Quirk: e-mails and phones are written as plain strings but read back as objects with ids.
export const contactSchema = z
	.object({
		id: stringId,
		firstName: z.string().nullish(),
		lastName: z.string().nullish(),
		middleName: z.string().nullish(),
		emails: z.array(z.object({ id: z.string().nullish(), email: z.string() }).passthrough()).nullish(),
		phones: z.array(z.object({ id: z.string().nullish(), phone: z.string() }).passthrough()).nullish(),
		organizations: z.array(z.string()).nullish(),
		tags: z.array(z.number()).nullish(),
		createdAt: z.string().nullish(),
		updatedAt: z.string().nullish(),
	})
	.passthrough();

// Quirk: custom fields are written as a `{fieldId: value}` map but read back as an array.
export const dealCustomFieldValueSchema = z
	.object({ id: stringId, name: z.string().nullish(), type: z.string().nullish(), value: z.unknown() })
	.passthrough();

export const dealSchema = z
	.object({
		id: stringId,
		funnelId: z.string().nullish(),
		statusId: z.string().nullish(),
		title: z.string().nullish(),
		description: z.string().nullish(),
		amount: z.number().nullish(),
		winStatus: z.string().nullish(),
		contacts: z.array(z.string()).nullish(),
		organizations: z.array(z.string()).nullish(),
		assignees: z.array(z.string()).nullish(),
		tags: z.array(z.number()).nullish(),
		customFields: z.array(dealCustomFieldValueSchema).nullish(),
		createdAt: z.string().nullish(),
		updatedAt: z.string().nullish(),
	})
	.passthrough();

export const organizationSchema = z
	.object({
		id: stringId,
		name: z.string().nullish(),
		// Quirk: written as `responsibles[]`, read back as one `responsibleId`.
		responsibleId: z.string().nullish(),
		addresses: z.array(z.object({ id: z.string().nullish(), address: z.string() }).passthrough()).nullish(),
		emails: z.array(z.object({ id: z.string().nullish(), email: z.string() }).passthrough()).nullish(),
		phones: z.array(z.object({ id: z.string().nullish(), phone: z.string() }).passthrough()).nullish(),
		contacts: z.array(z.string()).nullish(),
		tags: z.array(z.number()).nullish(),
	})
	.passthrough();

export const memberSchema = z
	.object({
		id: stringId,
		email: z.string().nullish(),
		firstName: z.string().nullish(),
		lastName: z.string().nullish(),
	})
	.passthrough();

// Quirk: tags and currencies have integer ids, unlike the CRM records.
export const tagSchema = z.object({ id: z.number(), title: z.string().nullish(), color: z.string().nullish() }).passthrough();
export const currencySchema = z.object({ id: z.number(), name: z.string().nullish(), code: z.string().nullish() }).passthrough();

export const userEnvelope = z.object({ user: userSchema }).passthrough();
export const funnelsEnvelope = z.object({ funnels: z.array(funnelSchema) }).passthrough();
export const funnelEnvelope = z.object({ funnel: funnelSchema }).passthrough();
export const statusEnvelope = z.object({ status: statusSchema }).passthrough();
export const statusesEnvelope = z.object({ statuses: z.array(statusSchema) }).passthrough();
export const contactEnvelope = z.object({ contact: contactSchema }).passthrough();
export const contactsEnvelope = z.object({ contacts: z.array(contactSchema) }).passthrough();
export const dealEnvelope = z.object({ deal: dealSchema }).passthrough();
// Quirk: the deal list flags further pages with `hasMoreDeals`, not `hasMore`.
export const dealsEnvelope = z
	.object({ deals: z.array(dealSchema), hasMoreDeals: z.boolean().nullish() })
	.passthrough();
export const organizationEnvelope = z.object({ organization: organizationSchema }).passthrough();
export const organizationsEnvelope = z.object({ organizations: z.array(organizationSchema) }).passthrough();
export const membersEnvelope = z.object({ members: z.array(memberSchema) }).passthrough();
export const tagsEnvelope = z.object({ tags: z.array(tagSchema) }).passthrough();
export const currenciesEnvelope = z.object({ currencies: z.array(currencySchema) }).passthrough();
// Quirk: attach/detach and PATCH answer only `{success: true}`; one operation is known to spell
// it `sucess`, so the HTTP status decides success and the body is not checked.
export const emptyEnvelope = z.unknown();

export type WeeekUser = z.infer<typeof userSchema>;
export type WeeekFunnel = z.infer<typeof funnelSchema>;
export type WeeekStatus = z.infer<typeof statusSchema>;
export type WeeekContact = z.infer<typeof contactSchema>;
export type WeeekDeal = z.infer<typeof dealSchema>;
export type WeeekOrganization = z.infer<typeof organizationSchema>;
export type WeeekMember = z.infer<typeof memberSchema>;
export type WeeekTag = z.infer<typeof tagSchema>;
export type WeeekCurrency = z.infer<typeof currencySchema>;
export type WeeekCustomFieldDefinition = z.infer<typeof customFieldDefinitionSchema>;
