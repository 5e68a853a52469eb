/**
 * Shared set-up for the tests of the WEEEK node's CRM operations. It starts one sandbox per test
 * file and runs the node through the harness. Its seed helpers put many records into the sandbox
 * directly, so paging tests do not spend hundreds of API calls on their fixtures.
 */
import { randomUUID } from 'node:crypto';

import type { IDataObject, ILoadOptionsFunctions, INodeExecutionData } from 'n8n-workflow';

import { Weeek } from '../../nodes/Weeek/Weeek.node';
import { SEED, startSandbox, type ContactRecord, type DealRecord, type OrganizationRecord, type RecordedRequest, type Sandbox } from '../sandbox/server';
import { createExecuteContext, createLoadOptionsContext, type Harness, type HarnessCredentials } from './harness';

export const node = new Weeek();

export interface SandboxHandle {
	sandbox: Sandbox;
	credentials: HarnessCredentials;
}

/**
 * Starts a sandbox for the calling test file and resets it before each test. The credential
 * allows 1000 requests per second, so the client's rate limiter does not slow the suite down.
 */
export function useSandbox(): SandboxHandle {
	const handle = {} as SandboxHandle;

	beforeAll(async () => {
		handle.sandbox = await startSandbox();
		handle.credentials = { apiToken: handle.sandbox.token, baseUrl: handle.sandbox.baseUrl, requestsPerSecond: 1000 };
	});
	afterAll(async () => {
		await handle.sandbox.close();
	});
	beforeEach(() => {
		handle.sandbox.reset();
	});

	return handle;
}

export interface RunOptions {
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	credentials?: HarnessCredentials;
	/** Parameters whose value differs by item, as an expression would make it; the harness has no expressions. */
	perItem?: Record<string, (itemIndex: number) => unknown>;
}

export async function runNode(handle: SandboxHandle, parameters: Record<string, unknown>, options: RunOptions = {}): Promise<{ output: INodeExecutionData[]; harness: Harness }> {
	const { context, harness } = createExecuteContext({
		parameters,
		items: options.items,
		continueOnFail: options.continueOnFail,
		credentials: options.credentials ?? handle.credentials,
	});
	const perItem = options.perItem ?? {};
	const readParameter = context.getNodeParameter.bind(context);
	context.getNodeParameter = ((name: string, itemIndex: number, ...rest: unknown[]) =>
		name in perItem ? perItem[name](itemIndex) : (readParameter as (...args: unknown[]) => unknown)(name, itemIndex, ...rest)) as typeof context.getNodeParameter;

	const output = await node.execute.call(context);
	return { output: output[0], harness };
}

/** Runs the node and returns the error it throws; fails the test when it throws nothing. */
export async function runNodeError(handle: SandboxHandle, parameters: Record<string, unknown>): Promise<Error> {
	const result = await runNode(handle, parameters).then(
		() => undefined,
		(error: unknown) => error as Error,
	);
	if (result === undefined) throw new Error(`The node ran without an error for ${JSON.stringify(parameters)}`);
	return result;
}

export function loadOptionsContext(handle: SandboxHandle, parameters: Record<string, unknown> = {}): ILoadOptionsFunctions {
	return createLoadOptionsContext({ parameters, credentials: handle.credentials }).context;
}

/** Builds a resource locator value as n8n stores it. Mode `list` is what picking from the list gives. */
export function locator(value: string, mode: 'list' | 'id' = 'id'): IDataObject {
	return { __rl: true, mode, value };
}

/** The API calls the sandbox received, optionally only those of one method. */
export function calls(handle: SandboxHandle, method?: string): Array<Pick<RecordedRequest, 'method' | 'path' | 'query' | 'body'>> {
	return handle.sandbox.requests
		.filter((request) => method === undefined || request.method === method)
		.map(({ method: verb, path, query, body }) => ({ method: verb, path, query, body }));
}

/** Method and path of every API call, in order, e.g. `GET /crm/deals/x`. */
export function callLines(handle: SandboxHandle): string[] {
	return handle.sandbox.requests.map((request) => `${request.method} ${request.path}`);
}

const SEEDED_AT = '2025-02-01T10:00:00.000Z';

/** Adds `count` contacts named Contact 001, Contact 002, … and returns them. */
export function seedContacts(handle: SandboxHandle, count: number, prefix = 'Contact'): ContactRecord[] {
	const created: ContactRecord[] = [];
	for (let index = 1; index <= count; index++) {
		created.push({
			id: randomUUID(),
			creatorId: SEED.members.owner.id,
			firstName: `${prefix} ${String(index).padStart(3, '0')}`,
			lastName: null,
			middleName: null,
			organizations: [],
			emails: [{ id: randomUUID(), email: `${prefix.toLowerCase()}${index}@example.ru` }],
			phones: [],
			tags: [],
			createdAt: SEEDED_AT,
			updatedAt: SEEDED_AT,
		});
	}
	handle.sandbox.state.contacts.push(...created);
	return created;
}

export function seedOrganizations(handle: SandboxHandle, count: number, prefix = 'Company'): OrganizationRecord[] {
	const created: OrganizationRecord[] = [];
	for (let index = 1; index <= count; index++) {
		created.push({
			id: randomUUID(),
			creatorId: SEED.members.owner.id,
			name: `${prefix} ${String(index).padStart(3, '0')}`,
			responsibleId: null,
			addresses: [],
			emails: [],
			phones: [],
			tags: [],
			createdAt: SEEDED_AT,
			updatedAt: SEEDED_AT,
		});
	}
	handle.sandbox.state.organizations.push(...created);
	return created;
}

/** Adds `count` deals to a status; `overrides` sets fields of every one of them. */
export function seedDeals(handle: SandboxHandle, statusId: string, count: number, overrides: Partial<DealRecord> = {}, prefix = 'Deal'): DealRecord[] {
	const status = handle.sandbox.state.statuses.find((candidate) => candidate.id === statusId);
	if (status === undefined) throw new Error(`The sandbox has no status ${statusId}`);

	const created: DealRecord[] = [];
	for (let index = 1; index <= count; index++) {
		created.push({
			id: `Sd${String(index).padStart(4, '0')}${randomUUID().replace(/-/g, '').slice(0, 10)}`,
			creatorId: SEED.members.owner.id,
			funnelId: status.funnelId,
			statusId,
			assignees: [],
			organizations: [],
			contacts: [],
			title: `${prefix} ${String(index).padStart(3, '0')}`,
			description: null,
			amount: null,
			winStatus: null,
			tags: [],
			taskIds: [],
			customFieldValues: {},
			createdAt: SEEDED_AT,
			updatedAt: SEEDED_AT,
			// Each deal gets its own copy, so pushing to one deal's list leaves the others alone.
			...structuredClone(overrides),
		});
	}
	handle.sandbox.state.deals.push(...created);
	return created;
}

export function findDeal(handle: SandboxHandle, id: string): DealRecord {
	const deal = handle.sandbox.state.deals.find((candidate) => candidate.id === id);
	if (deal === undefined) throw new Error(`The sandbox has no deal ${id}`);
	return deal;
}

export function findContact(handle: SandboxHandle, id: string): ContactRecord {
	const contact = handle.sandbox.state.contacts.find((candidate) => candidate.id === id);
	if (contact === undefined) throw new Error(`The sandbox has no contact ${id}`);
	return contact;
}

export function findOrganization(handle: SandboxHandle, id: string): OrganizationRecord {
	const organization = handle.sandbox.state.organizations.find((candidate) => candidate.id === id);
	if (organization === undefined) throw new Error(`The sandbox has no organization ${id}`);
	return organization;
}
