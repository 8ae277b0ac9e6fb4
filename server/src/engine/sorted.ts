/**
 * The first index in `[0, length)` whose key is at least `target` (`length` when none), for keys
 * that never decrease with the index: offsets of nodes, calls or bindings kept in document order.
 */
export function lowerBound(length: number, keyAt: (index: number) => number, target: number): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (keyAt(mid) < target) low = mid + 1;
    else high = mid;
  }
  return low;
}
