/**
 * Errors raised while reading official code-set files. `code` follows the house error hierarchy
 * (`invalid` for malformed input, `not_found` for a missing file) so callers can map it without
 * string matching; `file` and `line` point the user at the exact place to fix.
 */
export class CodeSetFileError extends Error {
  readonly code: 'invalid' | 'not_found';
  readonly file: string;
  readonly line: number | undefined;

  constructor(code: 'invalid' | 'not_found', file: string, line: number | undefined, message: string) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${message}`);
    this.name = 'CodeSetFileError';
    this.code = code;
    this.file = file;
    this.line = line;
  }
}

/** Raised when no loaded release covers the requested date (a code set is chosen by date, never "latest"). */
export class NoReleaseForDateError extends Error {
  readonly code = 'precondition_failed' as const;
  constructor(system: string, date: string, loaded: string[]) {
    super(`no ${system} release loaded for ${date} (loaded: ${loaded.join(', ') || 'none'})`);
    this.name = 'NoReleaseForDateError';
  }
}
