"""The projection: the Polars engine for one scenario, the NumPy batch for many, and their key figures."""
