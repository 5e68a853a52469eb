/**
 * `weeek-lead-poll`: reads new leads of myTarget lead forms (Odnoklassniki lead ads) on an interval
 * and emits one message per lead, with the normalized lead in `msg.payload`. myTarget offers no
 * webhook for these forms, so polling is the only way.
 *
 * Each poll reads the leads created since the previous one, with an overlap, and drops the keys it
 * already emitted (`pollMyTargetLeads`). The cursor and the keys live in node context, in the file
 * store when settings.js configures one. With memory-only context a restart starts over, and the
 * first poll then reads back only the hours set in "First poll".
 */
import { pollMyTargetLeads, type MyTargetPollState } from '../../shared/leads/mytargetPoll';
import type { NormalizedLead } from '../../shared/leads/types';
import { persistentStoreName, readContext, writeContext } from './lib/contextStore';
import { failureStatusKey, translateError } from './lib/i18n';
import { findLeadSourceNode } from './lib/leadSource';
import { nodeLogger } from './lib/logger';
import type { DoneFunction, NodeAPI, NodeDefinition, NodeInstance, NodeStatus, SendFunction } from './lib/nodeRed';
import { createMyTargetGet } from './lib/sourceHttp';

/** Context key of the poll cursor and the emitted lead keys. */
const STATE_KEY = 'mytargetPoll';

export const DEFAULT_INTERVAL_MINUTES = 5;
/** Lower bound of the poll interval, because leads gain nothing from polling more often. */
export const MIN_INTERVAL_MINUTES = 1;

const STATUS = 'weeek-lead-poll.status.';

/** The input message that requested a poll, if any. */
interface PollRequest {
	send: SendFunction;
	done: DoneFunction;
}

export default function register(RED: NodeAPI): void {
	function WeeekLeadPoll(this: NodeInstance, definition: NodeDefinition): void {
		RED.nodes.createNode(this, definition);
		const node = this;

		const formIds = String(definition.formIds ?? '')
			.split(/[,;\s]+/)
			.filter((id) => id !== '');
		const intervalMs = readIntervalMinutes(RED, node, definition.interval) * 60_000;
		const lookbackHours = Number(definition.lookbackHours);
		const lookbackMs = Number.isFinite(lookbackHours) && lookbackHours > 0 ? lookbackHours * 3_600_000 : 0;
		const store = persistentStoreName(RED);
		const logger = nodeLogger(node);
		const aborter = new AbortController();
		let timer: NodeJS.Timeout | undefined;
		let closed = false;
		/** Polls run one after another, so two never update the cursor at once. */
		let queue: Promise<void> = Promise.resolve();

		const stateReady: Promise<MyTargetPollState> = readContext<MyTargetPollState>(node, STATE_KEY, store).then(
			(state) => state ?? {},
			(error: unknown) => {
				node.warn(RED._('weeek-lead-poll.warn.stateUnreadable', { error: (error as Error).message }));
				return {};
			},
		);

		const setStatus = (status: NodeStatus): void => {
			if (!closed) node.status(status);
		};

		const readNewLeads = async (): Promise<NormalizedLead[]> => {
			const api = findLeadSourceNode(RED, definition.source, ['mytarget']).myTargetApi();
			const state = await stateReady;
			const leads = await pollMyTargetLeads({
				get: createMyTargetGet(api.baseUrl, api.accessToken, { signal: aborter.signal }),
				formIds,
				state,
				now: Date.now(),
				firstPollLookbackMs: lookbackMs,
				logger,
			});

			// Stored before the leads leave, so a crash right after can repeat none of them.
			await writeContext(node, STATE_KEY, state, store);
			return leads;
		};

		const poll = async (request: PollRequest | undefined): Promise<void> => {
			if (closed) return;
			setStatus({ fill: 'blue', shape: 'dot', text: `${STATUS}polling` });

			let leads: NormalizedLead[];
			try {
				leads = await readNewLeads();
			} catch (error) {
				if (closed) return;
				const translated = translateError(RED, error);
				setStatus({ fill: 'red', shape: 'ring', text: failureStatusKey(translated) });
				// The state is unchanged after a failure, so the next poll reads the same period again.
				if (request !== undefined) request.done(translated);
				else node.error(translated, { _msgid: RED.util.generateId(), topic: 'mytarget', payload: { source: 'mytarget', formIds } });
				return;
			}
			if (closed) return;

			const send = request?.send ?? ((msg) => node.send(msg));
			for (const lead of leads) send({ _msgid: RED.util.generateId(), topic: 'mytarget', payload: lead });
			setStatus(leads.length > 0 ? { fill: 'green', shape: 'dot', text: `${STATUS}newLeads` } : { fill: 'green', shape: 'ring', text: `${STATUS}noNewLeads` });
			node.debug(`myTarget poll emitted ${leads.length} new lead(s)`);
			request?.done();
		};

		const enqueue = (request: PollRequest | undefined): Promise<void> => {
			queue = queue.then(() => poll(request));
			return queue;
		};

		const scheduleNext = (delayMs: number): void => {
			if (closed) return;
			timer = setTimeout(() => {
				void enqueue(undefined).then(() => scheduleNext(intervalMs));
			}, delayMs);
		};

		// Any input message requests a poll now, and the interval continues as before.
		node.on('input', (_msg, send, done) => {
			void enqueue({ send, done });
		});

		node.on('close', (_removed, done) => {
			closed = true;
			clearTimeout(timer);
			aborter.abort();
			node.status({});
			queue.finally(() => done());
		});

		scheduleNext(0);
	}

	RED.nodes.registerType('weeek-lead-poll', WeeekLeadPoll);
}

function readIntervalMinutes(RED: NodeAPI, node: NodeInstance, value: unknown): number {
	const minutes = value === undefined || value === '' ? DEFAULT_INTERVAL_MINUTES : Number(value);
	if (!Number.isFinite(minutes)) {
		node.warn(RED._('weeek-lead-poll.warn.intervalNotNumber', { value: String(value), minutes: DEFAULT_INTERVAL_MINUTES }));
		return DEFAULT_INTERVAL_MINUTES;
	}
	if (minutes < MIN_INTERVAL_MINUTES) {
		node.warn(RED._('weeek-lead-poll.warn.intervalBelowMinimum', { value: minutes, minimum: MIN_INTERVAL_MINUTES }));
		return MIN_INTERVAL_MINUTES;
	}
	return minutes;
}
