/**
 * Core bugs that the Node-RED nodes found and still guard against with a workaround; each test
 * keeps the core's fix in place.
 */
import { receiveLeadWebhook } from '../../shared/leads/webhook';

describe('core fixes found by the Node-RED nodes', () => {
	// Workaround: `withoutSecrets` in node-red/nodes/lib/leadSource.ts.
	it('Tilda GET delivery keeps the URL token out of the lead', () => {
		const outcome = receiveLeadWebhook(
			{ source: 'tilda', tilda: { urlToken: 'url-t0k3n-5ecret' } },
			{ method: 'GET', body: undefined, query: { Name: 'Ivan', Phone: '+79990001234', tranid: '1:2', token: 'url-t0k3n-5ecret' }, headers: {}, receivedAt: Date.now() },
		);

		expect(outcome.kind).toBe('leads');
		expect(JSON.stringify(outcome)).not.toContain('url-t0k3n-5ecret');
	});
});
