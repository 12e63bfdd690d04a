"""The review workbench: a project file beside the TMX, edits on plain data, a local web app.

project.py (plain data and one undoable change), edits.py (the operations), store.py (the
SQLite file and its history), realign.py (the aligner again between confirmed units),
views.py (filters, search, counts), export.py (TMX and TSV), server.py (the ASGI app).
"""
