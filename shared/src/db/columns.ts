import { type ValueTransformer } from 'typeorm';

/**
 * Instants are stored as integer milliseconds since the epoch (UTC) in a BIGINT column: the
 * same on SQLite and MariaDB, exact, and cheap to aggregate in SQL (billing sweeps subtract them).
 */
export const epochMs: ValueTransformer = {
  to: (value: Date | null | undefined) => (value instanceof Date ? value.getTime() : value),
  from: (value: string | number | null) =>
    value === null || value === undefined ? value : new Date(Number(value)),
};

/** BIGINT counts: MariaDB returns strings, better-sqlite3 numbers; the code wants numbers. */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? value : Number(value)),
};

/** JSON kept as text (driver-neutral; neither driver's JSON type is used). */
export const jsonText: ValueTransformer = {
  to: (value: unknown) => (value === undefined ? undefined : JSON.stringify(value)),
  from: (value: string | null) => (value === null || value === undefined ? value : JSON.parse(value)),
};
