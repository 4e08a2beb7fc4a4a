"""Document family profiles, one module per family, each defining `PROFILE` (a `mrs_etl.registry.Profile`).

Adding a family = adding a module here, plus tests. `mrs_etl.registry` finds them through the
`mrs_etl.profiles` entry point in pyproject.toml; nothing in `mrs_etl` imports this package.
"""
