"""Questions asked of many projections: Monte Carlo bands, sensitivity, goal seek and fitting."""
