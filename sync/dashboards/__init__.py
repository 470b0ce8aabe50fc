"""Grafana dashboards over the hall's Prometheus metrics (``sync/metrics.py``): import ``kiosk-hall.json`` in
Grafana (Dashboards > New > Import) and pick the Prometheus data source that scrapes the hall instances."""
