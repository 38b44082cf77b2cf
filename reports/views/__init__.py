"""Pages of the reports app: the dashboards of each unit and the figures units enter for them."""
