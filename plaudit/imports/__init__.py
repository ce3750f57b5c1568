"""CSV imports and exports, a package by job.

- :mod:`.jobs`: starting a job and starting it over (who may, and when); the doors
  (API, admin, web page, ``import_csv``) call it, and it queues the task;
- :mod:`.tasks`: the Celery tasks, thin adapters onto one attempt, and the sweep that
  sends the jobs left behind again;
- :mod:`.attempts`: one attempt at a job (claim under a new attempt number, run,
  finish) and finding the jobs whose worker died or whose message was lost;
- :mod:`.runner`: the generic stage → decide → apply runner every kind subclasses;
- :mod:`.kinds`: one module per kind (columns, row cleaning, checks and writes), what
  cleaning shares (:mod:`.kinds.cleaning`) and the registry of kinds;
- :mod:`.progress`: a run's counters, fenced by its attempt, and the
  ``import.progressed`` events that tell of them; :mod:`.subscribers` pushes those
  and ``import.finished`` to the uploader's open pages;
- :mod:`.leases`: which runs are alive;
- :mod:`.files`, :mod:`.spreadsheet`: reading uploads, and formulas in cells;
- :mod:`.selectors`: jobs, rejected rows and the exported tables; :mod:`.views`,
  :mod:`.serializers`, :mod:`.admin`: the doors.
"""
