import { v7 } from 'uuid';

/** A new time-ordered id (UUIDv7): sorts by creation time, which keeps b-tree inserts local. */
export function newId(): string {
  return v7();
}
