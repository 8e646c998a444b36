/**
 * The main work lists by keyboard (issue 26): Alt+L anywhere moves focus to the first row of the screen's work list
 * (the table marked with `workListProps`); ↑/↓ move between rows, Home/End to the first and last row, keeping the
 * column (the same link or button in the next row). Form fields in a row keep their own arrow keys.
 */
import { useEffect, type KeyboardEvent } from 'react';

/** The keyboard shortcut, as `aria-keyshortcuts` spells it. */
export const workListShortcut = 'Alt+L';

/** Spread on the work list's `<table>`: marks it for the shortcut and announces the shortcut. */
export const workListProps = { 'data-work-list': '', 'aria-keyshortcuts': workListShortcut } as const;

const controls = 'a[href], button:not(:disabled)';

function rowControls(row: Element): HTMLElement[] {
  return [...row.querySelectorAll<HTMLElement>(controls)];
}

/** Focuses the first link or button of the first row of the screen's work list; false when there is none. */
export function focusFirstWorkListRow(root: ParentNode = document): boolean {
  const rows = root.querySelectorAll('main [data-work-list] tbody > tr');
  for (const row of rows) {
    const c = rowControls(row)[0];
    if (c) {
      c.focus();
      return true;
    }
  }
  return false;
}

/** `onKeyDown` of a work list's `<tbody>`: ↑/↓/Home/End between rows, same column. */
export function moveBetweenRows(e: KeyboardEvent<HTMLElement>): void {
  if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key) || e.altKey || e.ctrlKey || e.metaKey) return;
  const target = e.target as HTMLElement;
  if (target.closest('input, select, textarea')) return;
  const row = target.closest('tr');
  if (!row) return;
  const rows = [...e.currentTarget.querySelectorAll(':scope > tr')].filter((r) => rowControls(r).length > 0);
  const at = rows.indexOf(row);
  if (at < 0) return;
  const col = Math.max(0, rowControls(row).indexOf(target));
  const next = e.key === 'Home' ? 0 : e.key === 'End' ? rows.length - 1 : at + (e.key === 'ArrowDown' ? 1 : -1);
  const to = rows[Math.min(rows.length - 1, Math.max(0, next))];
  if (!to) return;
  e.preventDefault();
  const cs = rowControls(to);
  (cs[Math.min(col, cs.length - 1)] ?? cs[0])?.focus();
}

/** Installs Alt+L for the whole app (the AppShell calls it once). */
export function useWorkListShortcut(): void {
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      // e.code, not e.key: Alt+L types "¬" or similar on some layouts.
      if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.code !== 'KeyL') return;
      if (focusFirstWorkListRow()) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
