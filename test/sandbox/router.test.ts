import { matchRoute, matchesPathPattern, type Route } from './router';

const routes: Route[] = [
	{ pattern: '/crm/deals/{dealId}', handlers: { GET: () => ({ route: 'deal' }) } },
	{ pattern: '/crm/deals/{dealId}/{relation}', handlers: { POST: () => ({ route: 'any relation' }) } },
	{ pattern: '/crm/deals/{dealId}/contacts', handlers: { POST: () => ({ route: 'contacts' }) } },
];

describe('matchRoute', () => {
	it('fills path parameters', () => {
		const match = matchRoute(routes, '/crm/deals/Ab3dE5fG7hJ9kL1m');
		expect(match?.route.pattern).toBe('/crm/deals/{dealId}');
		expect(match?.params).toEqual({ dealId: 'Ab3dE5fG7hJ9kL1m' });
	});

	it('prefers fixed segments', () => {
		expect(matchRoute(routes, '/crm/deals/x/contacts')?.route.pattern).toBe('/crm/deals/{dealId}/contacts');
		expect(matchRoute(routes, '/crm/deals/x/tags')?.params).toEqual({ dealId: 'x', relation: 'tags' });
	});

	it('decodes segments and ignores a trailing slash', () => {
		expect(matchRoute(routes, '/crm/deals/a%20b/')?.params).toEqual({ dealId: 'a b' });
		expect(matchRoute(routes, '/crm/deals/%E0%A4%A')?.params).toEqual({ dealId: '%E0%A4%A' });
	});

	it('returns undefined for other paths', () => {
		expect(matchRoute(routes, '/crm/deals')).toBeUndefined();
		expect(matchRoute(routes, '/crm/deals/x/y/z')).toBeUndefined();
	});
});

describe('matchesPathPattern', () => {
	it('matches :name and * segments', () => {
		expect(matchesPathPattern('/crm/statuses/:id/deals', '/crm/statuses/Nl2aB4cD6eF8gH0j/deals')).toBe(true);
		expect(matchesPathPattern('/crm/*/x', '/crm/deals/x')).toBe(true);
		expect(matchesPathPattern('/crm/statuses/:id/deals', '/crm/statuses/Nl2aB4cD6eF8gH0j')).toBe(false);
		expect(matchesPathPattern('/crm/contacts', '/crm/organizations')).toBe(false);
	});

	it('matches any rest after /**', () => {
		expect(matchesPathPattern('/crm/**', '/crm/deals/x/contacts')).toBe(true);
		expect(matchesPathPattern('/crm/**', '/crm')).toBe(true);
		expect(matchesPathPattern('/crm/**', '/ws/tags')).toBe(false);
	});
});
