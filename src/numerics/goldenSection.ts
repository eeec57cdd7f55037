/**
 * Golden-section search (Kiefer 1953, "Sequential minimax search for a maximum") for the minimum of a
 * function assumed unimodal on [a, b]; stops when the bracket is shorter than `tol`. Returns the better of
 * the two final interior points and its value (callers compare it with their own scan points).
 */
export function goldenSection(f: (x: number) => number, a: number, b: number, tol: number): { x: number; value: number } {
  const phi = (Math.sqrt(5) - 1) / 2;
  let x1 = b - phi * (b - a);
  let x2 = a + phi * (b - a);
  let f1 = f(x1);
  let f2 = f(x2);
  while (b - a > tol) {
    if (f1 <= f2) {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - phi * (b - a);
      f1 = f(x1);
    } else {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + phi * (b - a);
      f2 = f(x2);
    }
  }
  return { x: f1 <= f2 ? x1 : x2, value: Math.min(f1, f2) };
}
