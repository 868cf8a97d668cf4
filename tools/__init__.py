"""Developer tools that are not part of the product: the benchmark and the doc generators."""
