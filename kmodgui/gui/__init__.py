"""The desktop app: the only package that imports PySide6 or pyqtgraph.

    app.py            entry point `kmodgui` (options, no-display handling)
    screenshot.py     --screenshot: run lines, render the window to a PNG
    bridge.py         the one QObject between the engine and the panels
    bridge_queries.py its read side: snapshots of modules, config, ledger
    jobs.py           runs shell lines in slices from a timer (never blocks)
    mainwindow.py     window, zoom, theme, presentation, layout persistence
    commands.py       what toolbar/menu actions do (open, build, insmod, ...)
    actions.py        toolbar and menus
    docks.py          the docks and their default / presentation layouts
    settings.py       QSettings: layout, zoom, recent files
    theme.py          light / dark / high-contrast colours
    zoom.py           one zoom factor for every pane
    panels/           Modules, Resources, Kconfig, dmesg, Shell, Timeline
    source/           the central C source view
"""
