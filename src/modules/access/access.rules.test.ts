import { describe, expect, it } from 'vitest';
import { anyOf, Permission, permissionsOfRule, Role, roleMeets, type PermissionRule } from './access.rules.js';

describe('permission rules', () => {
  const view = anyOf(Permission.mpiMerge, Permission.interfaceAdmin);
  it.each<[string, string, PermissionRule, boolean]>([
    ['a role holding the one permission', Role.himClerk, Permission.mpiMerge, true],
    ['a role without the one permission', Role.coder, Permission.mpiMerge, false],
    ['a role holding the first of several', Role.himClerk, view, true],
    ['a role holding the second of several', Role.administrator, view, true],
    ['a role holding none of several', Role.coder, view, false],
    ['an unknown role', 'janitor', view, false],
  ])('%s: %s meets %j is %s', (_, role, rule, expected) => {
    expect(roleMeets(role, rule)).toBe(expected);
  });

  it('lists the permissions of a rule', () => {
    expect(permissionsOfRule(Permission.auditRead)).toEqual(['audit:read']);
    expect(permissionsOfRule(view)).toEqual(['mpi:merge', 'interface:admin']);
  });
});
