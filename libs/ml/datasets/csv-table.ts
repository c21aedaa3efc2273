import * as fs from 'fs';

/** A CSV file as a model table: numeric columns as floats, other columns integer-coded as categorical. */
export interface CsvTable {
  n: number;
  p: number;
  /** Column-major: feature j of row i at j*n + i; NaN = missing. */
  x: Float32Array;
  y: Uint8Array;
  featureNames: string[];
  /** Indices of the integer-coded (factor) features. */
  categoricalFeatures: number[];
  /** Per feature: the factor levels in code order (sorted), or null for numeric features. */
  levels: (string[] | null)[];
}

export interface CsvTableOptions {
  /** Name of the label column; its values must be yes/no (any case). */
  label: string;
}

const MISSING = new Set(['', 'NA']);

/** Splits CSV text into rows of fields (RFC 4180 quoting, "" escapes, CRLF or LF line ends). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * Parses a CSV with a header into a table. A column whose non-missing values all parse as numbers is
 * numeric; any other column is a factor, coded 0..k-1 in sorted level order (as R does). Empty and NA
 * cells are missing (NaN).
 */
export function parseCsvTable(text: string, opts: CsvTableOptions): CsvTable {
  const [header, ...rows] = parseCsv(text);
  const labelCol = header.indexOf(opts.label);
  if (labelCol < 0) throw new Error(`csv table: no label column "${opts.label}" in ${header.join(', ')}`);
  rows.forEach((r, i) => {
    if (r.length !== header.length) throw new Error(`csv table: line ${i + 2} has ${r.length} fields, header has ${header.length}`);
  });
  const n = rows.length;
  const y = new Uint8Array(n);
  rows.forEach((r, i) => {
    const v = r[labelCol].toLowerCase();
    if (v !== 'yes' && v !== 'no') throw new Error(`csv table: label "${r[labelCol]}" on line ${i + 2} is not yes/no`);
    y[i] = v === 'yes' ? 1 : 0;
  });
  const cols = header.map((_, c) => c).filter((c) => c !== labelCol);
  const p = cols.length;
  const x = new Float32Array(n * p);
  const levels: (string[] | null)[] = [];
  const categoricalFeatures: number[] = [];
  cols.forEach((c, j) => {
    const values = rows.map((r) => r[c]);
    const numeric = values.every((v) => MISSING.has(v) || (v.trim() !== '' && Number.isFinite(Number(v))));
    if (numeric) {
      levels.push(null);
      values.forEach((v, i) => (x[j * n + i] = MISSING.has(v) ? NaN : Number(v)));
      return;
    }
    const lv = [...new Set(values.filter((v) => !MISSING.has(v)))].sort();
    const code = new Map(lv.map((l, k) => [l, k]));
    levels.push(lv);
    categoricalFeatures.push(j);
    values.forEach((v, i) => (x[j * n + i] = MISSING.has(v) ? NaN : code.get(v)!));
  });
  return { n, p, x, y, featureNames: cols.map((c) => header[c]), categoricalFeatures, levels };
}

export function loadCsvTable(file: string, opts: CsvTableOptions): CsvTable {
  return parseCsvTable(fs.readFileSync(file, 'utf8'), opts);
}
