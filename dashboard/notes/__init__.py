"""The notes database: what partners concluded about the figures, kept apart from the data.

Meetings (frozen to the published run they discussed), the four answers per indicator, every
party's toelichting on a figure, improvement actions, collaboration scores and a history of every
change. Pipeline runs never open it; schema changes go through the Alembic migrations shipped in
`migrations/` and applied when the dashboard starts.
"""
