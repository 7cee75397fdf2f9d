"""Display-ready rows: what a screen shows, typed, formatted for a locale.

Each module turns a domain's views (dataclasses returned by the domain services, which already
enforce roles and tenancy) into the rows a page renders: `TypedDict`s whose strings are formatted
for the reader's locale and whose flags are real booleans. The state layer assigns them to its vars
as they are, so a rule or a format lives here once and never in `state/` or the pages.

Callers: the state layer, after the domain service has authorised the actor. The functions here
read no database and check no permission themselves.
"""
