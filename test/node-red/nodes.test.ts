/**
 * The nodes one by one with their non-default settings: a generic lead, a contact from typed
 * fields, a deal without a lead, a link from explicit ids.
 */
import { startSandbox, SEED, type Sandbox } from '../sandbox/server';
import { builtNodes, helper, nextMessage } from './support';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

afterEach(async () => {
	await helper.unload();
	sandbox.reset();
});

/** Places nodes on a tab (with a position, so Node-RED treats them as flow nodes) and adds the config node. */
function onTab(nodes: object[], withCatch = false): object[] {
	const flow = [...nodes];
	if (withCatch) {
		flow.push({ id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] }, { id: 'caught', type: 'helper' });
	}
	return [
		{ id: 'tab', type: 'tab', label: 'nodes' },
		{ id: 'cfg', type: 'weeek-config', name: 'sandbox', baseUrl: sandbox.baseUrl, requestsPerSecond: 50 },
		...flow.map((node) => ({ z: 'tab', x: 100, y: 100, ...node })),
	];
}

const credentials = () => ({ cfg: { token: sandbox.token } });

describe('weeek-lead node', () => {
	it('normalizes a generic lead sent without http in', async () => {
		await helper.load(builtNodes(), onTab([{ id: 'lead', type: 'weeek-lead', source: 'generic', answer: true, wires: [['out']] }, { id: 'out', type: 'helper' }]));
		const received = nextMessage(helper.getNode('out'));
		const body = { name: 'Ivan Petrov', phone: '8 999 000-12-34', email: 'IVAN@Example.com', lead_id: 'L-17' };

		helper.getNode('lead').receive({ payload: body });
		const msg = (await received) as { payload: { source: string; firstName?: string; phones: string[]; emails: string[]; sourceLeadId?: string }; weeekRaw: unknown };

		expect(msg.payload.source).toBe('generic');
		expect(msg.payload.firstName).toBe('Ivan');
		expect(msg.payload.phones).toEqual(['+79990001234']);
		expect(msg.payload.emails).toEqual(['ivan@example.com']);
		expect(msg.payload.sourceLeadId).toBe('L-17');
		expect(msg.weeekRaw).toEqual(body);
	});

	it('reads the lead id from the configured field', async () => {
		await helper.load(
			builtNodes(),
			onTab([{ id: 'lead', type: 'weeek-lead', source: 'generic', answer: true, idPath: 'meta.ref', wires: [['out']] }, { id: 'out', type: 'helper' }]),
		);
		const received = nextMessage(helper.getNode('out'));

		helper.getNode('lead').receive({ payload: { name: 'Ivan', phone: '+7 999 000 12 34', meta: { ref: 'R-9' } } });
		const msg = (await received) as { payload: { sourceLeadId?: string } };

		expect(msg.payload.sourceLeadId).toBe('R-9');
	});
});

describe('weeek-contact node', () => {
	it('creates a contact from typed fields', async () => {
		await helper.load(
			builtNodes(),
			onTab([
				{
					id: 'contact',
					type: 'weeek-contact',
					config: 'cfg',
					mode: 'fields',
					firstName: 'Пётр',
					firstNameType: 'str',
					lastName: 'person.last',
					lastNameType: 'msg',
					middleName: '',
					middleNameType: 'str',
					emails: 'person.mails',
					emailsType: 'msg',
					phones: '8 (999) 111-22-33; +7 999 111 22 33',
					phonesType: 'str',
					normalizePhones: true,
					wires: [['out']],
				},
				{ id: 'out', type: 'helper' },
			]),
			credentials(),
		);
		const received = nextMessage(helper.getNode('out'));

		helper.getNode('contact').receive({ payload: 'not a lead', person: { last: 'Сидоров', mails: ['P.Sidorov@Example.ru', 'bad-address'] } });
		const msg = (await received) as { payload: unknown; weeek: { contact: { id: string } } };

		const created = sandbox.state.contacts[0];
		expect(sandbox.state.contacts).toHaveLength(1);
		expect(msg.weeek.contact.id).toBe(created.id);
		expect(msg.payload).toBe('not a lead');
		const body = sandbox.requests[0].body as Record<string, unknown>;
		expect(body).toEqual({ firstName: 'Пётр', lastName: 'Сидоров', emails: ['p.sidorov@example.ru'], phones: ['+79991112233'] });
	});

	it('asks for a lead when msg.payload holds none', async () => {
		await helper.load(builtNodes(), onTab([{ id: 'contact', type: 'weeek-contact', config: 'cfg', mode: 'lead', wires: [[]] }], true), credentials());
		const caught = nextMessage(helper.getNode('caught'));

		helper.getNode('contact').receive({ payload: { hello: 'world' } });
		const msg = (await caught) as { error: { code?: string } };

		expect(msg.error.code).toBe('notALead');
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('weeek-deal node', () => {
	const typedDeal = {
		id: 'deal',
		type: 'weeek-deal',
		config: 'cfg',
		funnelId: SEED.funnels.partners.id,
		statusId: SEED.statuses.inbox.id,
		title: 'Kitchen renovation',
		titleType: 'str',
		amount: '1000',
		amountType: 'num',
		description: 'Typed in the node',
		descriptionType: 'str',
		linkContact: false,
		wires: [['out']],
	};

	it('creates a deal from typed fields without a lead', async () => {
		await helper.load(builtNodes(), onTab([typedDeal, { id: 'out', type: 'helper' }]), credentials());
		const received = nextMessage(helper.getNode('out'));

		helper.getNode('deal').receive({ payload: 'anything' });
		const msg = (await received) as { weeek: { deal: { id: string } } };

		expect(sandbox.state.deals).toHaveLength(1);
		expect(sandbox.state.deals[0].statusId).toBe(SEED.statuses.inbox.id);
		expect(msg.weeek.deal.id).toBe(sandbox.state.deals[0].id);
		expect(sandbox.requests[0].body).toEqual({ title: 'Kitchen renovation', amount: 1000, description: 'Typed in the node' });
	});

	it('rejects an amount that is not a number', async () => {
		await helper.load(builtNodes(), onTab([{ ...typedDeal, amount: 'price', amountType: 'msg' }], true), credentials());
		const caught = nextMessage(helper.getNode('caught'));

		helper.getNode('deal').receive({ payload: 'anything', price: 'about ten' });
		const msg = (await caught) as { error: { code?: string; message: string } };

		expect(msg.error.code).toBe('invalidAmount');
		expect(msg.error.message).toContain('about ten');
		expect(sandbox.requests).toHaveLength(0);
	});

	it('names the unknown status WEEEK rejected', async () => {
		await helper.load(builtNodes(), onTab([{ ...typedDeal, statusId: 'GoneStatus000000' }], true), credentials());
		const caught = nextMessage(helper.getNode('caught'));

		helper.getNode('deal').receive({ payload: 'anything' });
		const msg = (await caught) as { error: { code?: string; message: string } };

		expect(msg.error.code).toBe('notFound');
		expect(msg.error.message).toContain('GoneStatus000000');
	});
});

describe('weeek-link node', () => {
	it('links the contact and deal created before it', async () => {
		await helper.load(
			builtNodes(),
			onTab([
				{ id: 'contact', type: 'weeek-contact', config: 'cfg', mode: 'fields', firstName: 'Anna', firstNameType: 'str', wires: [['deal']] },
				{
					id: 'deal',
					type: 'weeek-deal',
					config: 'cfg',
					statusId: SEED.statuses.newLead.id,
					title: 'Deal without contact',
					titleType: 'str',
					amountType: 'num',
					amount: '',
					description: '',
					descriptionType: 'str',
					linkContact: false,
					wires: [['link']],
				},
				{ id: 'link', type: 'weeek-link', config: 'cfg', wires: [['out']] },
				{ id: 'out', type: 'helper' },
			]),
			credentials(),
		);
		const received = nextMessage(helper.getNode('out'));

		helper.getNode('contact').receive({ payload: {} });
		const msg = (await received) as { weeek: { link: { dealId: string; contactId: string } } };

		const deal = sandbox.state.deals[0];
		expect(sandbox.requests[1].body).toEqual({ title: 'Deal without contact' });
		expect(deal.contacts).toEqual([sandbox.state.contacts[0].id]);
		expect(msg.weeek.link).toEqual({ dealId: deal.id, contactId: sandbox.state.contacts[0].id });
	});

	it('reports a missing deal id before calling WEEEK', async () => {
		await helper.load(builtNodes(), onTab([{ id: 'link', type: 'weeek-link', config: 'cfg', dealId: 'weeek.deal.id', dealIdType: 'msg', contactId: 'weeek.contact.id', contactIdType: 'msg', wires: [[]] }], true), credentials());
		const caught = nextMessage(helper.getNode('caught'));

		helper.getNode('link').receive({ payload: {}, weeek: { contact: { id: 'c-1' } } });
		const msg = (await caught) as { error: { code?: string; message: string } };

		expect(msg.error.code).toBe('missingDealId');
		expect(msg.error.message).toContain('msg.weeek.deal.id');
		expect(sandbox.requests).toHaveLength(0);
	});
});
