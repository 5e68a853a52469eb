import { mulberry32 } from './faults';
import { call, control } from './http';
import { SEED, startSandbox, type Sandbox } from './server';

let sandbox: Sandbox;

const createDealPath = `/crm/statuses/${SEED.statuses.newLead.id}/deals`;

beforeAll(async () => {
	sandbox = await startSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
});

function createContact(firstName: string, timeoutMs?: number): ReturnType<typeof call> {
	return call(sandbox, 'POST', '/crm/contacts', { firstName }, { timeoutMs });
}

async function waitFor(condition: () => boolean, timeoutMs = 1000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) {
			throw new Error(`waitFor: condition still false after ${timeoutMs} ms`);
		}
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

describe('mulberry32', () => {
	it('repeats the sequence for the same seed', () => {
		const first = mulberry32(42);
		const second = mulberry32(42);
		const other = mulberry32(43);
		const a = Array.from({ length: 5 }, first);
		expect(Array.from({ length: 5 }, second)).toEqual(a);
		expect(Array.from({ length: 5 }, other)).not.toEqual(a);
		expect(a.every((value) => value >= 0 && value < 1)).toBe(true);
	});
});

describe('random faults', () => {
	it('adds latency to every API response', async () => {
		sandbox.setFaults({ latencyMs: 150 });
		const started = Date.now();
		const response = await call(sandbox, 'GET', '/ws');
		expect(response.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
	});

	it('logs the response time after the latency', async () => {
		sandbox.setFaults({ latencyMs: 150 });
		await call(sandbox, 'GET', '/ws');

		const [request] = sandbox.requests;
		expect(request.respondedAt).toEqual(expect.any(Number));
		expect((request.respondedAt as number) - request.at).toBeGreaterThanOrEqual(140);
	});

	it('429 with Retry-After, not applied', async () => {
		sandbox.setFaults({ rate429: 1, retryAfterSeconds: 7 });
		const response = await createContact('Ivan');

		expect(response.status).toBe(429);
		expect(response.headers.get('retry-after')).toBe('7');
		expect(response.body).toEqual({ success: false, message: 'Too Many Attempts.' });
		expect(sandbox.state.contacts).toHaveLength(0);
		expect(sandbox.requests[0]).toMatchObject({ status: 429, fault: '429', applied: false });
	});

	it('5xx kinds, not applied', async () => {
		sandbox.setFaults({ rate5xx: 1, seed: 7 });
		const statuses = new Set<number>();
		for (let index = 0; index < 12; index += 1) {
			const response = await createContact(`Ivan ${index}`);
			statuses.add(response.status);
			if (response.status === 502) {
				expect(response.headers.get('content-type')).toMatch(/^text\/html/);
				expect(response.text).toContain('502 Bad Gateway');
			} else {
				expect(response.headers.get('content-type')).toMatch(/^application\/json/);
			}
		}

		expect([...statuses].sort()).toEqual([500, 502, 503]);
		expect(sandbox.state.contacts).toHaveLength(0);
		expect(sandbox.requests.every((request) => !request.applied)).toBe(true);
	});

	it('repeats the same faults for the same seed', async () => {
		const run = async (): Promise<number[]> => {
			sandbox.reset();
			sandbox.setFaults({ seed: 1234, rate429: 0.3, rate5xx: 0.3 });
			const statuses: number[] = [];
			for (let index = 0; index < 15; index += 1) {
				statuses.push((await call(sandbox, 'GET', '/ws')).status);
			}
			return statuses;
		};

		const first = await run();
		expect(await run()).toEqual(first);
		expect(first).toContain(200);
		expect(first.some((status) => status !== 200)).toBe(true);
	});

	it('resets the socket without applying the write', async () => {
		sandbox.setFaults({ rateReset: 1 });
		await expect(createContact('Ivan')).rejects.toThrow();

		expect(sandbox.state.contacts).toHaveLength(0);
		expect(sandbox.requests[0]).toMatchObject({ fault: 'reset', status: 0, applied: false });
	});

	it('slow response after applied write', async () => {
		sandbox.setFaults({ rateSlow: 1, slowMs: 300 });
		await expect(createContact('Ivan', 80)).rejects.toThrow();
		expect(sandbox.state.contacts.map((contact) => contact.firstName)).toEqual(['Ivan']);

		const started = Date.now();
		const response = await call(sandbox, 'GET', '/ws');
		expect(response.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		expect(sandbox.requests[1]).toMatchObject({ fault: 'slow', status: 200, applied: true });
	});

	it('appliedError applies, then 500', async () => {
		sandbox.setFaults({ rateAppliedError: 1 });
		const response = await createContact('Ivan');

		expect(response.status).toBe(500);
		expect(response.body).toEqual({ message: 'Server Error' });
		expect(sandbox.state.contacts.map((contact) => contact.firstName)).toEqual(['Ivan']);
		expect(sandbox.requests[0]).toMatchObject({ fault: 'appliedError', status: 500, applied: true });
	});

	it('appliedDrop applies, then drops', async () => {
		sandbox.setFaults({ rateAppliedDrop: 1 });
		await expect(call(sandbox, 'POST', createDealPath, { title: 'Dropped' })).rejects.toThrow();

		expect(sandbox.state.deals.map((deal) => deal.title)).toEqual(['Dropped']);
		expect(sandbox.requests).toHaveLength(1);
		expect(sandbox.requests[0]).toMatchObject({ fault: 'appliedDrop', status: 0, applied: true });
	});

	it('leaves control routes alone', async () => {
		sandbox.setFaults({ rateReset: 1, latencyMs: 300 });
		const started = Date.now();
		const response = await control(sandbox, 'GET', '/state');
		expect(response.status).toBe(200);
		expect(Date.now() - started).toBeLessThan(250);
	});
});

describe('rate limit', () => {
	it('429 above rate, then recovers', async () => {
		sandbox.setFaults({ rateLimitPerSecond: 3, retryAfterSeconds: 1 });
		const statuses: number[] = [];
		for (let index = 0; index < 5; index += 1) {
			statuses.push((await createContact(`Ivan ${index}`)).status);
		}

		expect(statuses).toEqual([200, 200, 200, 429, 429]);
		expect(sandbox.state.contacts).toHaveLength(3);
		expect(sandbox.requests[3]).toMatchObject({ fault: 'rateLimit', status: 429, applied: false });
		expect(sandbox.requests[3].respondedAt).toEqual(expect.any(Number));

		await new Promise((resolve) => setTimeout(resolve, 1050));
		expect((await createContact('Later')).status).toBe(200);
	});

	it('sends Retry-After on a rate-limit 429', async () => {
		sandbox.setFaults({ rateLimitPerSecond: 1, retryAfterSeconds: 2 });
		await call(sandbox, 'GET', '/ws');
		const limited = await call(sandbox, 'GET', '/ws');
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('2');
	});
});

describe('one-shot faults', () => {
	it('matches method, path and times', async () => {
		sandbox.queueFault({ method: 'post', pathPattern: '/crm/statuses/:id/deals', fault: '503', times: 2 });

		expect((await call(sandbox, 'GET', createDealPath)).status).toBe(200);
		expect((await call(sandbox, 'POST', createDealPath, { title: 'a' })).status).toBe(503);
		expect((await call(sandbox, 'POST', createDealPath, { title: 'b' })).status).toBe(503);
		expect((await call(sandbox, 'POST', createDealPath, { title: 'c' })).status).toBe(200);
		expect(sandbox.state.deals.map((deal) => deal.title)).toEqual(['c']);
	});

	it('takes precedence over random faults', async () => {
		sandbox.setFaults({ rate429: 1 });
		sandbox.queueFault({ fault: 'appliedError' });
		expect((await createContact('Ivan')).status).toBe(500);
		expect((await createContact('Olga')).status).toBe(429);
		expect(sandbox.state.contacts.map((contact) => contact.firstName)).toEqual(['Ivan']);
	});

	it('uses its own slowMs', async () => {
		sandbox.queueFault({ fault: 'slow', slowMs: 200 });
		const started = Date.now();
		expect((await call(sandbox, 'GET', '/ws')).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(190);
	});

	it('queues faults through the control route', async () => {
		const queued = await control(sandbox, 'POST', '/faults/next', { pathPattern: '/public/v1/crm/contacts', fault: 'appliedDrop' });
		expect(queued.status).toBe(200);
		expect(queued.body.pending).toEqual([
			{ fault: 'appliedDrop', pathPattern: '/crm/contacts', remaining: 1 },
		]);

		await expect(createContact('Ivan')).rejects.toThrow();
		expect(sandbox.state.contacts).toHaveLength(1);
	});

	it('sets faults through the control route', async () => {
		const response = await control(sandbox, 'POST', '/faults', { rate429: 1 });
		expect(response.body.faults.rate429).toBe(1);
		expect((await call(sandbox, 'GET', '/ws')).status).toBe(429);

		await control(sandbox, 'POST', '/reset');
		expect((await call(sandbox, 'GET', '/ws')).status).toBe(200);
	});
});

describe('close', () => {
	it('destroys sockets of slow responses', async () => {
		const slow = await startSandbox({ faults: { rateSlow: 1, slowMs: 30_000 } });
		const pending = call(slow, 'POST', '/crm/contacts', { firstName: 'Ivan' });
		const outcome = pending.then(
			() => 'answered',
			() => 'failed',
		);
		await waitFor(() => slow.state.contacts.length === 1);

		const started = Date.now();
		await slow.close();
		expect(Date.now() - started).toBeLessThan(500);
		expect(await outcome).toBe('failed');
	});

	it('is safe to call twice', async () => {
		const other = await startSandbox();
		await other.close();
		await expect(other.close()).resolves.toBeUndefined();
	});
});
