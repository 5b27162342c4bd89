// A strategy of your own for cluster-sched-bench: run it with
//   npm run bench -- --strategy-file docs/examples/fewest-served.js --policy rr
// It runs in the primary and picks, for each new connection, the worker that has been handed the
// fewest connections so far (ties: the lowest index). `loads[i]` is { id, pid, active, served }.
export default {
  name: 'fewest-served',
  description: 'the worker handed the fewest connections so far',
  needsCloses: false, // true: `active` counts open connections (workers report closes)
  createPicker() {
    return {
      pick(loads, rng) {
        let best = 0;
        for (let i = 1; i < loads.length; i++) if (loads[i].served < loads[best].served) best = i;
        return best;
      },
    };
  },
};
