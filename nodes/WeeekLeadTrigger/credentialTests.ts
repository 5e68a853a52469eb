/**
 * Credential tests for the trigger's secret-only credentials. No remote service stores these
 * values (the sender is configured by hand), so the tests check locally what n8n can check: that
 * the value is set and that it survives being pasted into a URL.
 */
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

export async function testVkCallbackCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	if (text(credential.data?.confirmationCode) === '') {
		return {
			status: 'Error',
			message:
				'The confirmation string is empty: copy it from Community management → Settings → Working with API → Callback API ("String to be returned")',
		};
	}
	return { status: 'OK', message: 'The confirmation string is set. VK checks it when you confirm the server in the Callback API settings.' };
}

export async function testWebhookSecretCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const secret = text(credential.data?.secret);
	if (secret === '') {
		return { status: 'Error', message: 'The secret is empty: enter the value the sender must include with every lead' };
	}

	if (credential.data?.location === 'urlToken' && encodeURIComponent(secret) !== secret) {
		return {
			status: 'Error',
			message: 'The secret contains characters that change in a URL: percent-encode it after ?token= in the URL you paste into the sender, or use only letters, digits and - . _ ~',
		};
	}
	return { status: 'OK', message: 'The secret is set. The trigger compares it with every request it receives.' };
}
