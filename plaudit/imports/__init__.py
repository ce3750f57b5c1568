"""CSV imports and exports, a package by job.

- :mod:`.jobs`: a job's lifecycle (start, claim and run, finish, restart, resume); the
  doors (API, admin, web page, ``import_csv``, Celery tasks) call it;
- :mod:`.runner`: the generic stage → decide → apply runner every kind subclasses;
- :mod:`.kinds`: one module per kind (columns, row cleaning, checks and writes) and
  the registry of kinds;
- :mod:`.progress`: a run's counters, fenced by its attempt, and their live push;
- :mod:`.files`, :mod:`.spreadsheet`: reading uploads, and formulas in cells;
- :mod:`.leases`: which runs are alive; :mod:`.selectors`: jobs, rejections, exports.
"""
