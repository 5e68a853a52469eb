/**
 * Checks watch settings from a node and reads a stored watch state back, so a bad setting fails
 * before any request and a damaged state starts a new baseline instead of failing every poll.
 */
import { z } from 'zod';

import { ConfigurationError } from '../errors';
import { DEAL_OUTCOMES, WATCH_EVENT_TYPES, type DealOutcome, type WatchEventType, type WatchSettings, type WatchState } from './types';

/** Validated settings, with the optional parts filled in. */
export interface CheckedWatchSettings {
	event: WatchEventType;
	funnelId: string;
	statusIds: string[];
	outcome: DealOutcome;
}

export function checkWatchSettings(settings: WatchSettings): CheckedWatchSettings {
	if (!WATCH_EVENT_TYPES.includes(settings.event)) {
		throw new ConfigurationError(
			'watchUnknownEvent',
			`The event '${String(settings.event)}' is not one the watch knows: pick New Deal, Deal Moved to Status, Deal Won or Lost, or New Contact`,
			{ value: String(settings.event) },
		);
	}

	const outcome = settings.outcome ?? 'either';
	if (!DEAL_OUTCOMES.includes(outcome)) {
		throw new ConfigurationError('watchUnknownOutcome', `The outcome '${String(outcome)}' is not valid: pick won, lost or either`, {
			value: String(outcome),
		});
	}

	const funnelId = (settings.funnelId ?? '').trim();
	if (settings.event !== 'newContact' && funnelId === '') {
		throw new ConfigurationError('watchMissingFunnel', 'No funnel is set: WEEEK lists deals only per funnel, so pick the funnel to watch');
	}

	const statusIds = [...new Set((settings.statusIds ?? []).map((id) => String(id).trim()).filter((id) => id !== ''))];
	return { event: settings.event, funnelId, statusIds, outcome };
}

const trackedDeal = z.tuple([z.string(), z.string().nullable(), z.number()]);

const storedState = z.object({
	version: z.literal(1),
	deals: z
		.object({
			funnelId: z.string(),
			cursor: z.string().nullable(),
			complete: z.boolean(),
			deals: z.record(trackedDeal),
		})
		.optional(),
	contacts: z
		.object({
			cursor: z.string().nullable(),
			recent: z.record(z.number()),
		})
		.optional(),
});

/**
 * Reads a stored state. Returns undefined for nothing stored, and also for a state that is not
 * valid, after calling `onInvalid`, because a new baseline is safer than guessing at a damaged one.
 */
export function readWatchState(value: unknown, onInvalid: (problem: string) => void): WatchState | undefined {
	if (value === undefined || value === null) return undefined;

	const parsed = storedState.safeParse(value);
	if (parsed.success) return parsed.data;

	const problem = parsed.error.issues
		.slice(0, 3)
		.map((issue) => `${issue.path.join('.') || 'state'}: ${issue.message}`)
		.join('; ');
	onInvalid(problem);
	return undefined;
}
