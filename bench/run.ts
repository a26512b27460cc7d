// Benchmarks arrive with the benchmark issue; until then the script says so instead of pretending.
console.log('no benchmarks yet: see the benchmarks issue (cold start, bundle size, pipeline throughput, classifier, cost).');
