/** A typed array of any element type (the columns of the engine's tree copy and the walks that fill them). */
export type TypedArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;

/** A copy of `old` with room for `length` elements (the same element type; the rest zero). */
export function grown<T extends TypedArray>(old: T, length: number): T {
  const next = new (old.constructor as new (length: number) => T)(length);
  next.set(old);
  return next;
}
