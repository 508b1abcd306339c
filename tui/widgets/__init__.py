"""Generic widgets (slider, chart) that know nothing of the model."""
