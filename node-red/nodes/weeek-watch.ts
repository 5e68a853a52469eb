/**
 * `weeek-watch`: polls WEEEK on an interval and sends one message per new deal, deal moved to a
 * status, deal won or lost, or new contact. WEEEK has no webhooks, so polling is the only way; the
 * rules per event are in `shared/watch`.
 *
 * The watch state is kept in `<userDir>/weeek/watch-<nodeId>.json`, so restarts and redeploys
 * continue where the previous poll stopped. It is written before the messages leave: a restart never
 * repeats an event, and a crash in the moment between the write and the sending loses that poll's
 * messages. Without a user directory (an embedding application that sets none) the state lives in
 * memory and a restart sets a new baseline.
 */
import { pollWatch, readWatchState, type WatchEvent, type WatchEventType, type WatchSettings, type WatchState } from '../../shared/watch';
import type { FileProblem } from './lib/fileProblem';
import { failureStatusKey, translateError } from './lib/i18n';
import { nodeLogger } from './lib/logger';
import type { DoneFunction, NodeAPI, NodeDefinition, NodeInstance, NodeMessage, NodeStatus, SendFunction } from './lib/nodeRed';
import { WatchStateFile } from './lib/watchStateFile';
import { findConfigNode } from './lib/weeekNode';

export const DEFAULT_INTERVAL_SECONDS = 60;
/** Lower bound of the interval. A deal watch costs one request per funnel status, and WEEEK allows about 4 per second per token. */
export const MIN_INTERVAL_SECONDS = 10;

const STATUS = 'weeek-watch.status.';

/** The input message that requested a poll, if any. */
interface PollRequest {
	msg: NodeMessage;
	send: SendFunction;
	done: DoneFunction;
}

export default function register(RED: NodeAPI): void {
	function WeeekWatch(this: NodeInstance, definition: NodeDefinition): void {
		RED.nodes.createNode(this, definition);
		const node = this;

		const settings = readSettings(definition);
		const intervalMs = readIntervalSeconds(RED, node, definition.interval) * 1000;
		const logger = nodeLogger(node);
		const userDir = RED.settings.userDir;
		const file = typeof userDir === 'string' && userDir !== '' ? WatchStateFile.forNode(userDir, node.id) : undefined;
		if (file === undefined) node.warn(RED._('weeek-watch.warn.noUserDir'));

		const warnFileProblem = (problem: FileProblem): void => {
			if (problem.kind === 'unreadable') node.warn(RED._('weeek-watch.warn.stateUnreadable', { file: problem.filePath, error: problem.reason }));
			else node.warn(RED._('weeek-watch.warn.stateNotJson', { file: problem.filePath }));
		};
		let state: WatchState | undefined = readWatchState(file?.load(warnFileProblem), (problem) => node.warn(RED._('weeek-watch.warn.stateInvalid', { problem })));
		let timer: NodeJS.Timeout | undefined;
		let closed = false;
		/** Polls run one after another, so two never work from the same state. */
		let queue: Promise<void> = Promise.resolve();

		const setStatus = (status: NodeStatus): void => {
			if (!closed) node.status(status);
		};

		const poll = async (request: PollRequest | undefined): Promise<void> => {
			if (closed) return;
			setStatus({ fill: 'blue', shape: 'dot', text: `${STATUS}polling` });

			let events: WatchEvent[];
			let baseline: boolean;
			try {
				const client = findConfigNode(RED, definition.config).getClient();
				const result = await pollWatch({ client, settings, state, logger });
				// Stored before the messages leave, so a restart can repeat none of them.
				if (file !== undefined) await file.save(result.state);
				state = result.state;
				events = result.events;
				baseline = result.baseline;
			} catch (error) {
				if (closed) return;
				const translated = translateError(RED, error);
				setStatus({ fill: 'red', shape: 'ring', text: failureStatusKey(translated) });
				// The state is unchanged after a failure, so the next poll reads the same period again.
				const msg = request?.msg ?? { _msgid: RED.util.generateId(), topic: topicOf(settings.event), payload: { event: settings.event } };
				if (request !== undefined) request.done(translated);
				else node.error(translated, msg);
				return;
			}

			const send = request?.send ?? ((msg) => node.send(msg));
			for (const event of events) send(toMessage(RED, event));
			setStatus(statusAfter(events.length, baseline));
			node.debug(`WEEEK watch poll sent ${events.length} message(s)`);
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

		// Any input message polls now; the interval goes on as before.
		node.on('input', (msg, send, done) => {
			void enqueue({ msg, send, done });
		});

		node.on('close', (removed, done) => {
			closed = true;
			clearTimeout(timer);
			node.status({});
			void queue.then(async () => {
				// A node deleted from the flows needs no state; a redeployed one continues from it.
				if (removed && file !== undefined) await file.remove().catch((error: unknown) => node.warn(RED._('weeek-watch.warn.stateNotDeleted', { file: file.filePath, error: (error as Error).message })));
				done();
			});
		});

		scheduleNext(0);
	}

	RED.nodes.registerType('weeek-watch', WeeekWatch);
}

function readSettings(definition: NodeDefinition): WatchSettings {
	const statusId = typeof definition.statusId === 'string' ? definition.statusId.trim() : '';
	return {
		event: String(definition.event ?? 'newDeal') as WatchEventType,
		funnelId: typeof definition.funnelId === 'string' ? definition.funnelId : '',
		statusIds: statusId === '' ? [] : [statusId],
		outcome: (definition.outcome === undefined || definition.outcome === '' ? 'either' : String(definition.outcome)) as WatchSettings['outcome'],
	};
}

function readIntervalSeconds(RED: NodeAPI, node: NodeInstance, value: unknown): number {
	const seconds = value === undefined || value === '' ? DEFAULT_INTERVAL_SECONDS : Number(value);
	if (!Number.isFinite(seconds)) {
		node.warn(RED._('weeek-watch.warn.intervalNotNumber', { value: String(value), seconds: DEFAULT_INTERVAL_SECONDS }));
		return DEFAULT_INTERVAL_SECONDS;
	}
	if (seconds < MIN_INTERVAL_SECONDS) {
		node.warn(RED._('weeek-watch.warn.intervalBelowMinimum', { value: seconds, minimum: MIN_INTERVAL_SECONDS }));
		return MIN_INTERVAL_SECONDS;
	}
	return seconds;
}

function topicOf(event: WatchEventType): string {
	return `weeek/${event}`;
}

function toMessage(RED: NodeAPI, event: WatchEvent): NodeMessage {
	const msg: NodeMessage = { _msgid: RED.util.generateId(), topic: topicOf(event.event), event: event.event, payload: event.record };
	if (event.previousStatusId !== undefined) msg.previousStatusId = event.previousStatusId;
	if (event.previousWinStatus !== undefined) msg.previousWinStatus = event.previousWinStatus;
	return msg;
}

function statusAfter(count: number, baseline: boolean): NodeStatus {
	if (baseline) return { fill: 'green', shape: 'ring', text: `${STATUS}baseline` };
	if (count === 0) return { fill: 'green', shape: 'ring', text: `${STATUS}noEvents` };
	return { fill: 'green', shape: 'dot', text: `${STATUS}events` };
}
