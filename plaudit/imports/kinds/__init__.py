"""The kinds of import, one module each, with what they share and their registry.

Each kind's module (:mod:`.employees`, :mod:`.rewards`, :mod:`.reward_codes`) holds
its columns, how one of its rows is cleaned (pure, with the shared
:class:`~.cleaning.Cells`), and its :class:`~plaudit.imports.runner.Runner`: the
set-based checks it adds and its apply step. :mod:`.registry` maps a job's kind to
its spec and runner. Nothing is imported here, so the runner can use
:mod:`.cleaning` without loading the kinds that build on it.
"""
