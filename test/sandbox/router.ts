/**
 * Route table types and path matching for the sandbox's `/public/v1` routes.
 */

import type { SandboxState } from './store';
import type { JsonObject, PhpQuery } from './validation';

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteContext {
	state: SandboxState;
	/** Values of the `{name}` segments of the route pattern. */
	params: Record<string, string>;
	query: PhpQuery;
	/** The JSON body when it is an object, `{}` otherwise (Laravel reads no fields from other JSON). */
	body: JsonObject;
}

/** Returns the 200 body and throws an `ApiError` for every other status. */
export type RouteHandler = (context: RouteContext) => JsonObject;

export interface Route {
	/** Path below `/public/v1`, with `{name}` for a variable segment, e.g. `/crm/deals/{dealId}`. */
	pattern: string;
	handlers: Partial<Record<RouteMethod, RouteHandler>>;
}

export interface RouteMatch {
	route: Route;
	params: Record<string, string>;
}

function decodeSegment(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

function splitPath(path: string): string[] {
	return path.split('/').filter((segment) => segment !== '');
}

/** Finds the route whose pattern matches `path`; fixed segments win over `{name}` segments. */
export function matchRoute(routes: readonly Route[], path: string): RouteMatch | undefined {
	const segments = splitPath(path);
	let best: { match: RouteMatch; fixedSegments: number } | undefined;

	for (const route of routes) {
		const patternSegments = splitPath(route.pattern);
		if (patternSegments.length !== segments.length) {
			continue;
		}

		const params: Record<string, string> = {};
		let fixedSegments = 0;
		const matches = patternSegments.every((patternSegment, index) => {
			const variable = /^\{(\w+)\}$/.exec(patternSegment);
			if (variable !== null) {
				params[variable[1]] = decodeSegment(segments[index]);
				return true;
			}
			fixedSegments += 1;
			return patternSegment === segments[index];
		});

		if (matches && (best === undefined || fixedSegments > best.fixedSegments)) {
			best = { match: { route, params }, fixedSegments };
		}
	}

	return best?.match;
}

/**
 * Tells whether `path` matches a fault rule pattern such as `/crm/statuses/:id/deals`, where a
 * `:name` or `*` segment matches any one segment. A trailing `/**` matches any rest of the path.
 */
export function matchesPathPattern(pattern: string, path: string): boolean {
	const patternSegments = splitPath(pattern);
	const segments = splitPath(path);

	if (patternSegments[patternSegments.length - 1] === '**') {
		const prefix = patternSegments.slice(0, -1);
		return segments.length >= prefix.length && prefix.every((segment, index) => segmentMatches(segment, segments[index]));
	}

	return (
		patternSegments.length === segments.length &&
		patternSegments.every((segment, index) => segmentMatches(segment, segments[index]))
	);
}

function segmentMatches(patternSegment: string, segment: string): boolean {
	return patternSegment === '*' || patternSegment.startsWith(':') || patternSegment === segment;
}
