"""docs/model.md's equations, month by month, in plain Python: the oracle the engine is checked against."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ammoflow.scenarios.model import registry
from ammoflow.scenarios.model.months import days_in, format_month
from ammoflow.scenarios.model.scenario import Scenario


def reference_projection(
    scenario: Scenario, drift: Mapping[str, Sequence[float]] | None = None
) -> list[dict[str, float | str]]:
    """One dict per month with the contract's columns, computed literally from the equations.

    ``drift`` gives some parameters a multiplier per month: the planned value times it,
    kept within the parameter's slider range (docs/model.md, Drift).
    """
    series = {key: scenario.series(key) for key in scenario.values}
    for key, multipliers in (drift or {}).items():
        low, high = registry.BY_KEY[key].low, registry.BY_KEY[key].high
        series[key] = [min(max(v * m, low), high) for v, m in zip(series[key], multipliers, strict=True)]
    nk_stock = scenario.values["nk_stock_initial"]
    ru_stock = scenario.values["ru_stock_initial"]
    # Rounds due to land in each month: a shipment's arrival month is fixed when it leaves.
    landing = [0.0] * scenario.months
    cumulative_containers = 0.0
    cumulative_rounds = 0.0
    rows = []
    for i in range(scenario.months):
        p = {key: values[i] for key, values in series.items()}
        month = scenario.start_index + i
        d = days_in(month)
        prod_r = p["nk_capacity_russia"] * p["nk_utilisation_russia"] / 100
        prod_o = p["nk_capacity_other"] * p["nk_utilisation_other"] / 100
        s = p["share_122_containers"] / 100
        per_c = (1 - s) * p["shells_152_per_container"] + s * p["rockets_122_per_container"]
        nk_avail = nk_stock + prod_r
        ship_cap = p["containers_per_month"] * per_c
        shipped = min(ship_cap, max(0.0, nk_avail - p["nk_reserve"]))
        nk_stock = nk_avail - shipped
        containers = shipped / per_c if per_c > 0 else 0.0
        due = i + int(p["transit_months"])
        if due < scenario.months:  # later than that, it is still in transit at the horizon's end
            landing[due] += shipped
        arrivals = landing[i]
        demand = p["ru_fire_rate"] * d
        supply = p["ru_production"] + p["ru_other_imports"] + arrivals
        ru_avail = ru_stock + supply
        fired = min(demand, ru_avail)
        ru_stock = ru_avail - fired
        return_c = containers * p["return_containers_ratio"]
        cumulative_containers += containers
        cumulative_rounds += shipped
        rows.append(
            {
                "month": format_month(month),
                "days": float(d),
                "nk_production_russia": prod_r,
                "nk_production_other": prod_o,
                "rounds_shipped": shipped,
                "containers_shipped": containers,
                "shells_152_shipped": containers * (1 - s) * p["shells_152_per_container"],
                "rockets_122_shipped": containers * s * p["rockets_122_per_container"],
                "cumulative_containers": cumulative_containers,
                "cumulative_rounds": cumulative_rounds,
                "nk_stock": nk_stock,
                "ru_arrivals": arrivals,
                "ru_supply": supply,
                "ru_demand": demand,
                "ru_fired": fired,
                "ru_shortfall": demand - fired,
                "ru_stock": ru_stock,
                "return_containers": return_c,
                "food_tonnes": return_c * p["food_tonnes_per_container"],
            }
        )
    return rows
