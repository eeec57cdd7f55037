/**
 * Description of the fused elementwise kernels the backends implement natively: the activations of
 * ../shared/spec/README.md that have a closed form. Every value is f(z) + offset (offset defaults to 0;
 * e.g. `relu-centered` is relu with offset -1/sqrt(2 pi)); `poly` is sum_k coeffs[k] z^k (Hermite
 * polynomials are converted to monomial coefficients by the activation registry).
 * User-registered activations without a kernel run elementwise in JavaScript instead.
 */
export type ElementwiseKernel =
  | { kind: 'linear' | 'tanh' | 'relu' | 'erf' | 'sigmoid' | 'softplus' | 'sin' | 'cos' | 'abs' | 'sign'; offset?: number }
  | { kind: 'poly'; coeffs: readonly number[]; offset?: number };

export type ElementwiseMode = 'value' | 'derivative' | 'both';

export const ELEMENTWISE_KINDS = ['linear', 'tanh', 'relu', 'erf', 'sigmoid', 'softplus', 'sin', 'cos', 'abs', 'sign', 'poly'] as const;
