"""Development data: demo loaders, generated data at scale and benchmarks. It may import every
domain; no domain imports it."""
