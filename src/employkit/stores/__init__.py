"""Stores: what employkit keeps on disk between runs, outside the domain packages.

The domain packages decide (:mod:`employkit.followup` schedules contacts and says what an
outcome triggers) and never touch a file; the stores keep the results:

* :mod:`employkit.stores.followup` — :class:`~employkit.stores.followup.FollowUpStore`, a
  centre's follow-up in one SQLite file (contacts, outcomes, actions, the agenda), with
  its errors (:class:`~employkit.stores.schema.StoreError` and its subclasses), schema
  and migrations (:mod:`employkit.stores.schema`), its reading half
  (:mod:`employkit.stores.queries`) and the recording of an outcome
  (:mod:`employkit.stores.recording`);
* :mod:`employkit.stores.paths` — where a centre's follow-up store lives.

Importing this package imports no database module; each store is imported on its own.
"""
