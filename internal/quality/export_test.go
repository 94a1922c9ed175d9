package quality

// Percentile is percentile, for the external tests.
var Percentile = percentile
