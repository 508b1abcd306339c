"""Pure drawing, testable without an app: chart layout, axis ticks, tornado rows, the plotext adapter."""
