"""The demo company ``manage.py seed_demo`` loads: who works there, what the catalog holds,
and six months of history played through the services on a clock set back in time.

Not an app (no models): a script of the company's life, kept apart from the command that
runs it so each stays readable.
"""
