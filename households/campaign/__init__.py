"""The review campaign of Decision 24/2021/QĐ-TTg, one self-contained package with the rooms of an
app: `models` (stored in the households app's tables), `choices`, `querysets`, `workflow` (the state
machine the services enforce), `transitions`, `services/` (every write), `selectors` (every read),
`filtersets`, `forms`, `views/`, `urls`, and `api/` (`serializers/`, `views/`).
"""
