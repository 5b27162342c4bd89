// Queueing results the simulator is checked against (ideal: Poisson arrivals, exponential service,
// no dispatch cost, no information delay). Times in units of the mean service time 1/mu.

/** M/M/1 mean response time: 1 / (1 - rho). Random placement over N workers is N independent M/M/1 queues at rho. */
export const mm1Response = (rho: number): number => 1 / (1 - rho);

/** M/M/1 response-time quantile: the response time is exponential with rate mu (1 - rho). */
export const mm1Quantile = (rho: number, q: number): number => -Math.log(1 - q) / (1 - rho);

/**
 * The supermarket model (Mitzenmacher 2001, "The power of two choices in randomized load
 * balancing", Theorem 3.6; Vvedenskaya et al. 1996): with d choices, as N grows the share of queues
 * holding at least i jobs is rho^((d^i - 1)/(d - 1)), and the mean response time is
 * sum_{i>=1} rho^((d^i - d)/(d - 1)).
 */
export function supermarketResponse(rho: number, d = 2): number {
  let t = 0;
  for (let i = 1; i < 64; i++) {
    const term = rho ** ((d ** i - d) / (d - 1));
    t += term;
    if (term < 1e-12) break;
  }
  return t;
}

/** Erlang C: the chance an arrival waits in an M/M/N queue with offered load a = N rho. */
export function erlangC(n: number, rho: number): number {
  const a = n * rho;
  // Erlang B by its stable recursion, then C from B.
  let b = 1;
  for (let k = 1; k <= n; k++) b = (a * b) / (k + a * b);
  return b / (1 - rho + rho * b);
}

/**
 * M/M/N mean response time (one central queue, N servers): 1 + C / (N (1 - rho)). No placement
 * policy that commits each job to a worker on arrival beats it: the lower bound for JSQ.
 */
export const mmnResponse = (n: number, rho: number): number => 1 + erlangC(n, rho) / (n * (1 - rho));

/**
 * E_k/M/1 mean response time: strict round robin of a Poisson stream over k workers gives each one
 * every k-th arrival, Erlang-k interarrival times. GI/M/1 (Kleinrock, Queueing Systems I, 6.4):
 * sigma solves sigma = A*(mu (1 - sigma)), with A*(s) = (k lambda / (k lambda + s))^k for the
 * Erlang-k interarrival of rate lambda = rho mu; the response time is 1 / (mu (1 - sigma)).
 */
export function ekm1Response(k: number, rho: number): number {
  let sigma = rho;
  for (let i = 0; i < 10_000; i++) {
    const next = ((k * rho) / (k * rho + (1 - sigma))) ** k;
    if (Math.abs(next - sigma) < 1e-13) break;
    sigma = next;
  }
  return 1 / (1 - sigma);
}
