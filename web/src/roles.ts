/** Roles come from the server's permission table (pure module, shared with the browser). */
import { roles, roleTitles } from '../../src/modules/access/access.rules.js';

export { roles };

export function roleTitle(role: string | null | undefined): string {
  if (!role) return '';
  return (roleTitles as Record<string, string>)[role] ?? role;
}
