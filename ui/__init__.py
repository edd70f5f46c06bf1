"""The desktop application (PySide6 Widgets): a client of ``app.services`` and ``app.bootstrap`` only."""
