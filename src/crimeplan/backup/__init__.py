"""Backup and restore of a crimeplan home: the relational database and the crime store together.

Not a Django app: a shell-level library (it spans ``core``'s database and ``crimedata``'s store)
under the thin ``crimeplan backup`` and ``crimeplan restore`` commands.
"""
