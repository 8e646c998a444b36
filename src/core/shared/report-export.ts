/**
 * Report tables and their exports, shared by every module's reports: CSV (one section per table, a blank line
 * between, cells that a spreadsheet would run as a formula quoted with an apostrophe) and XLSX (exceljs, one sheet per
 * table, bold header). Aggregates and ids only go in: the caller decides what a report may show.
 */
import ExcelJS from 'exceljs';

export type ReportCell = string | number | null;

export interface ReportTable {
  /** The section's title and the XLSX sheet's name (at most 31 characters, no []:*?/\). */
  name: string;
  header: string[];
  rows: ReportCell[][];
}

/** One CSV cell: quoted when needed; a leading = + - @ (a spreadsheet formula: CSV injection) gets an apostrophe. */
export function csvCell(v: ReportCell | undefined): string {
  const s = v === null || v === undefined ? '' : String(v);
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The tables as CSV: each its title, header and rows; a blank line between tables; CRLF line ends (RFC 4180). */
export function tablesCsv(tables: readonly ReportTable[]): string {
  return tables
    .map((t) => [t.name, t.header.map(csvCell).join(','), ...t.rows.map((row) => row.map(csvCell).join(','))].join('\r\n'))
    .join('\r\n\r\n')
    .concat('\r\n');
}

/** The tables as an XLSX workbook: one sheet per table, named after it. */
export async function tablesXlsx(tables: readonly ReportTable[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Custodian';
  for (const t of tables) {
    const ws = wb.addWorksheet(t.name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31));
    ws.addRow(t.header).font = { bold: true };
    for (const row of t.rows) ws.addRow(row);
    ws.columns.forEach((c) => (c.width = 18));
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
