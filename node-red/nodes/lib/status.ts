/**
 * Node status for nodes that call WEEEK. Messages run in parallel, so a counter of requests in
 * flight decides when "requesting" may give way to the result: one finished message must not
 * clear the status while others still wait for WEEEK.
 */
import { SHARED_NS } from './i18n';
import type { NodeInstance, NodeStatus } from './nodeRed';

/** Status of a node in dry run mode, from deploy on and after each message it handled. */
export const DRY_RUN_STATUS: NodeStatus = { fill: 'grey', shape: 'ring', text: `${SHARED_NS}status.dryRun` };

export class RequestStatus {
	private inFlight = 0;

	constructor(
		private readonly node: NodeInstance,
		/** Catalogue key shown after a success, e.g. `status.created`. */
		private readonly doneKey: string,
		/** Whether the node only records requests, so there is nothing to wait for and a success shows `DRY_RUN_STATUS`. */
		private readonly dryRun = false,
	) {
		if (dryRun) node.status(DRY_RUN_STATUS);
	}

	start(): void {
		this.inFlight += 1;
		if (!this.dryRun) this.node.status({ fill: 'blue', shape: 'dot', text: `${SHARED_NS}status.requesting` });
	}

	succeed(): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
		if (this.inFlight === 0) {
			this.node.status(this.dryRun ? DRY_RUN_STATUS : { fill: 'green', shape: 'dot', text: `${SHARED_NS}${this.doneKey}` });
		}
	}

	/** Shows the failure even while other requests run, so it is seen; the next success replaces it. */
	fail(statusKey: string): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
		this.node.status({ fill: 'red', shape: 'ring', text: statusKey });
	}

	clear(): void {
		this.inFlight = 0;
		this.node.status({});
	}
}
