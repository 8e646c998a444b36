import { DomainError, ErrorCode } from '../errors.js';

/**
 * A malformed or unreadable official code-set file. `code` is `invalid` (malformed) or `not_found` (missing),
 * as in the domain error hierarchy; `file` and `line` point the user at the exact place to fix.
 */
export class CodeSetFileError extends DomainError {
  readonly file: string;
  readonly line: number | undefined;

  constructor(code: 'invalid' | 'not_found', file: string, line: number | undefined, message: string) {
    super(code === 'invalid' ? ErrorCode.invalid : ErrorCode.notFound, `${file}${line === undefined ? '' : `:${line}`}: ${message}`, {
      file,
      line,
    });
    this.name = 'CodeSetFileError';
    this.file = file;
    this.line = line;
  }
}

/** No loaded release covers the requested date (a code set is chosen by date, never "latest"). */
export class NoReleaseForDateError extends DomainError {
  constructor(system: string, date: string, loaded: string[]) {
    super(ErrorCode.preconditionFailed, `no ${system} release loaded for ${date} (loaded: ${loaded.join(', ') || 'none'})`, {
      system,
      date,
    });
    this.name = 'NoReleaseForDateError';
  }
}
