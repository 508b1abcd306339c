"""What a scenario is: the parameter registry, scenarios, months, numbers, key figures, observations, errors."""
