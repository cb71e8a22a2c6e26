"""The workshop app's parts: controls, charts, comparison, regions, export (Solara).

``app.py`` at the repository root is the short declarative shell that puts
these together; this package holds what it is made of:

* :mod:`workshop.text`: every word on the page in Dutch and English, and
  numbers, dates and shares written the Dutch or English way;
* :mod:`workshop.columns`: the one place that names the model's output columns;
* :mod:`workshop.levers`: the levers a room can move, with units and positions;
* :mod:`workshop.config`: a configuration, saved as a link or a file and recalled;
* :mod:`workshop.errors`: the model's messages in plain Dutch;
* :mod:`workshop.charts`: charts as SVG (cheap to redraw every few hundred
  milliseconds) and, for export, as PNG;
* :mod:`workshop.live`: the live run, stepped in a thread of its own;
* :mod:`workshop.comparison`: two policies over several seeds with the
  project's own ``experiments.compare``, in a separate process;
* :mod:`workshop.regions`: the tile map of the twelve provinces;
* :mod:`workshop.export`: PNG, CSV and a one-page HTML summary;
* :mod:`workshop.assumptions`: every parameter with its Dutch name and source;
* :mod:`workshop.page`: the Solara components;
* :mod:`workshop.bench`: the load test (``make bench-app``).

Only :mod:`workshop.page` imports Solara's widgets; the rest is plain Python
and tested without a browser.
"""
