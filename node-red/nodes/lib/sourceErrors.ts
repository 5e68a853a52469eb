/**
 * Errors of the lead sources' own APIs (the Facebook Graph API, the myTarget API), which the core
 * reaches only through ports. Like the core errors they carry a stable `code` and the `params` of
 * their message, so the catalogue can translate them; neither ever contains a token.
 */
import type { ErrorParams } from '../../../shared/errors';

export type LeadSourceErrorCode = 'myTargetUnauthorized' | 'myTargetRequestFailed' | 'myTargetUnreachable' | 'facebookFetchFailed';

export class LeadSourceError extends Error {
	readonly code: LeadSourceErrorCode;
	readonly params: ErrorParams;

	constructor(code: LeadSourceErrorCode, message: string, params: ErrorParams = {}) {
		super(message);
		this.name = 'LeadSourceError';
		this.code = code;
		this.params = params;
	}
}
