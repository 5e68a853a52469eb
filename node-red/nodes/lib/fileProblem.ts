/**
 * Reason a state file under the user directory could not be used: the file could not be read, or
 * its content is not valid JSON. The node turns it into a warning in the runtime's language.
 */
export type FileProblem = { kind: 'unreadable'; filePath: string; reason: string } | { kind: 'notJson'; filePath: string };
