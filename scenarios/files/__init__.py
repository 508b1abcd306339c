"""Reading and writing: scenario TOML files, careful reads, atomic writes, the presets and the shipped data."""
