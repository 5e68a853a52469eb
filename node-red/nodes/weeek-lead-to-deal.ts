/**
 * `weeek-lead-to-deal`: one lead in `msg.payload` becomes a WEEEK contact (found or created) and a
 * deal in the chosen funnel status, linked to each other. A new lead costs two WEEEK calls in
 * "create" contact mode: the contact, then the deal with the contact in it.
 *
 * The same lead delivered again creates nothing. The node remembers each lead key with its deal
 * (`leadToDeal` and `LeadMemory` in the core) in a JSON file under the Node-RED user directory.
 * The file is saved after every lead, so the memory survives restarts even with memory-only
 * context. A deal whose response was lost is looked up in WEEEK by its lead key before anything is
 * created again.
 * Leads are handled one at a time, so two deliveries of one lead arriving together still make one deal.
 *
 * In dry run mode the node records the requests it would send on `msg.weeek.dryRun.requests` and
 * sends nothing. It reads a copy of the memory, so a lead handled before shows no requests, as it
 * would in a real run, and a dry run never marks a lead as handled.
 */
import { ConfigurationError } from '../../shared/errors';
import { DEFAULT_TITLE_TEMPLATE, LeadMemory, leadToDeal, type ContactMode, type LeadToDealResult, type LeadToDealSettings } from '../../shared/leadToDeal';
import type { NormalizedLead } from '../../shared/leads/types';
import type { DryRunRequest } from '../../shared/weeek/dryRun';
import { createDryRunClient } from './lib/client';
import type { FileProblem } from './lib/fileProblem';
import { failureStatusKey, SHARED_NS, translateError } from './lib/i18n';
import { LeadMemoryFile } from './lib/leadMemoryFile';
import { parseAmount, requireLead } from './lib/leadMapping';
import type { NodeAPI, NodeDefinition, NodeInstance, NodeMessage } from './lib/nodeRed';
import { evaluateProperty, optionalText } from './lib/properties';
import { DRY_RUN_STATUS } from './lib/status';
import { findConfigNode, isDryRun } from './lib/weeekNode';

const CONTACT_MODES: readonly ContactMode[] = ['create', 'reuse', 'update'];
const NODE_LABEL = 'WEEEK Lead → Deal';
const STATUS = 'weeek-lead-to-deal.status.';

/** One row of the custom field list in the dialog: the field's id and name and a TypedInput value. */
interface CustomFieldSetting {
	id: string;
	value: unknown;
	type: string;
}

export default function register(RED: NodeAPI): void {
	function WeeekLeadToDeal(this: NodeInstance, definition: NodeDefinition): void {
		RED.nodes.createNode(this, definition);
		const node = this;

		const statusId = typeof definition.statusId === 'string' ? definition.statusId.trim() : '';
		const contactMode: ContactMode = CONTACT_MODES.includes(definition.contactMode as ContactMode) ? (definition.contactMode as ContactMode) : 'reuse';
		const titleTemplate = typeof definition.titleTemplate === 'string' && definition.titleTemplate.trim() !== '' ? definition.titleTemplate : DEFAULT_TITLE_TEMPLATE;
		const amount = { label: 'amount', value: definition.amount ?? '', type: typeof definition.amountType === 'string' && definition.amountType !== '' ? definition.amountType : 'num' };
		const descriptionNote = optionalText(definition.descriptionNote);
		const leadKeyFieldId = optionalText(definition.leadKeyFieldId);
		const alwaysCheckWeeek = definition.alwaysCheckWeeek === true;
		const customFields = readCustomFieldSettings(definition.customFields);
		const dryRun = isDryRun(definition);

		const memoryFile = typeof RED.settings.userDir === 'string' && RED.settings.userDir !== '' ? LeadMemoryFile.forNode(RED.settings.userDir, node.id) : undefined;
		const warnFileProblem = (problem: FileProblem): void => {
			if (problem.kind === 'unreadable') node.warn(RED._('weeek-lead-to-deal.warn.memoryUnreadable', { file: problem.filePath, error: problem.reason }));
			else node.warn(RED._('weeek-lead-to-deal.warn.memoryNotJson', { file: problem.filePath }));
		};
		const memory = new LeadMemory(memoryFile?.load(warnFileProblem));
		if (memoryFile === undefined) {
			node.warn(RED._('weeek-lead-to-deal.warn.noUserDir'));
		}

		/** Leads run one after another, so a lead delivered twice at once still finds its first deal. */
		let queue: Promise<unknown> = Promise.resolve();
		let waiting = 0;

		const readAmount = async (msg: NodeMessage): Promise<number | undefined> => {
			if (amount.type === 'num' && optionalText(amount.value) === undefined) return undefined;
			return parseAmount(await evaluateProperty(RED, node, msg, amount));
		};

		const readCustomFields = async (msg: NodeMessage): Promise<Record<string, unknown> | undefined> => {
			const values: Record<string, unknown> = {};
			for (const field of customFields) {
				const value = await evaluateProperty(RED, node, msg, { label: `custom field ${field.id}`, value: field.value, type: field.type });
				if (value !== undefined && value !== null && value !== '') values[field.id] = value;
			}
			return Object.keys(values).length > 0 ? values : undefined;
		};

		const saveMemory = async (): Promise<void> => {
			if (memoryFile === undefined) return;
			try {
				await memoryFile.save(memory.snapshot);
			} catch (error) {
				node.warn(RED._('weeek-lead-to-deal.warn.memoryNotSaved', { file: memoryFile.filePath, error: (error as Error).message }));
			}
		};

		const handleLead = async (msg: NodeMessage, dryRunRequests: DryRunRequest[]): Promise<LeadToDealResult> => {
			const lead = readLead(msg.payload);
			const client = dryRun ? createDryRunClient(dryRunRequests) : findConfigNode(RED, definition.config).getClient();
			const settings: LeadToDealSettings = {
				statusId,
				contactMode,
				titleTemplate,
				amount: await readAmount(msg),
				descriptionNote,
				customFields: await readCustomFields(msg),
				leadKeyFieldId,
				alwaysCheckWeeek,
			};

			if (dryRun) return await leadToDeal(lead, settings, { client, memory: memory.copy(), now: Date.now });
			try {
				return await leadToDeal(lead, settings, { client, memory, now: Date.now });
			} finally {
				// A failed attempt may have marked the key uncertain, which must survive a restart too.
				await saveMemory();
			}
		};

		if (dryRun) node.status(DRY_RUN_STATUS);

		node.on('input', (msg, send, done) => {
			waiting += 1;
			if (!dryRun) node.status({ fill: 'blue', shape: 'dot', text: `${SHARED_NS}status.requesting` });
			const dryRunRequests: DryRunRequest[] = [];

			queue = queue
				.then(() => handleLead(msg, dryRunRequests))
				.then(
					(result) => {
						waiting -= 1;
						msg.weeek = { contact: result.contact, deal: result.deal, weeekCalls: result.weeekCalls };
						if (dryRun) msg.weeek.dryRun = { requests: dryRunRequests };
						if (waiting === 0) node.status(dryRun ? DRY_RUN_STATUS : { fill: 'green', shape: 'dot', text: `${STATUS}${result.deal.outcome}` });
						node.debug(`lead ${result.lead.dedupKey}: deal ${result.deal.id} ${result.deal.outcome}, ${result.weeekCalls} WEEEK call(s)`);
						send(msg);
						done();
					},
					(error: unknown) => {
						waiting -= 1;
						const translated = translateError(RED, error);
						node.status({ fill: 'red', shape: 'ring', text: failureStatusKey(translated) });
						done(translated);
					},
				);
		});

		node.on('close', (_removed, done) => {
			// Waits for the lead in progress, so its memory is saved before a restart reads it.
			queue.finally(() => {
				node.status({});
				done();
			});
		});
	}

	RED.nodes.registerType('weeek-lead-to-deal', WeeekLeadToDeal);
}

/** Returns the lead in `msg.payload` with the lists the core expects, or throws the `notALead` setup error. */
function readLead(value: unknown): NormalizedLead {
	const lead = requireLead(value, NODE_LABEL);
	if (typeof lead.dedupKey !== 'string' || lead.dedupKey === '') {
		throw new ConfigurationError('notALead', `${NODE_LABEL} expected a lead in msg.payload (put a WEEEK Lead or WEEEK Lead In node before it)`, {
			node: NODE_LABEL,
		});
	}
	return { ...lead, utm: lead.utm ?? {}, answers: lead.answers ?? [], phonesRaw: lead.phonesRaw ?? [] };
}

/** Copies the memory's entries, so a dry run can read what was handled without changing it. */
function readCustomFieldSettings(value: unknown): CustomFieldSetting[] {
	if (!Array.isArray(value)) return [];
	return value
		.filter((entry): entry is Record<string, unknown> => entry !== null && typeof entry === 'object')
		.map((entry) => ({ id: String(entry.id ?? '').trim(), value: entry.value ?? '', type: typeof entry.type === 'string' && entry.type !== '' ? entry.type : 'str' }))
		.filter((entry) => entry.id !== '');
}
