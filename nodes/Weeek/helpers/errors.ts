/**
 * One place that turns core errors into n8n errors, so every operation reports failures alike.
 */
import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ConfigurationError, LeadInputError, WeeekError } from '../../../shared/errors';

export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;

	if (error instanceof WeeekError) {
		const details: JsonObject = { message: error.message, code: error.code };
		if (error.httpStatus !== undefined) details.httpCode = String(error.httpStatus);
		if (error.fields) details.fields = error.fields as unknown as JsonObject;
		return new NodeApiError(node, details, {
			message: error.message,
			description: describeWeeekError(error),
			httpCode: error.httpStatus === undefined ? undefined : String(error.httpStatus),
			itemIndex,
		});
	}

	if (error instanceof LeadInputError || error instanceof ConfigurationError) {
		return new NodeOperationError(node, error.message, { itemIndex });
	}

	return new NodeOperationError(node, error instanceof Error ? error : String(error), { itemIndex });
}

function describeWeeekError(error: WeeekError): string | undefined {
	switch (error.code) {
		case 'rateLimited':
			return 'WEEEK asked to slow down. The node already waited and retried; enable Retry On Fail in the node settings or lower Requests per Second in the credential.';
		case 'server':
		case 'timeout':
		case 'network':
			return error.mayHaveApplied
				? 'WEEEK may have applied the request before failing. Check WEEEK before running the item again.'
				: 'Nothing was written to WEEEK. The item can be run again.';
		default:
			return undefined;
	}
}
