"""Views of the model inside the explorer: parameters, key figures, changes over time, charts, tornado."""
