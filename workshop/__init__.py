"""The workshop app's parts: the page by screen, the live run, the room, exports (Solara).

``app.py`` at the repository root is the short declarative shell that puts
these together; this package holds what it is made of (docs/app.md has the
table of modules). In short:

* words and numbers: :mod:`workshop.text`, :mod:`workshop.names` (plain names
  for parameters, code removed from texts), :mod:`workshop.errors`,
  :mod:`workshop.headers`;
* settings: :mod:`workshop.levers`, :mod:`workshop.config` (a link or a file,
  checked field by field; scenario names from the project's list only);
* the run: :mod:`workshop.live` (frames), :mod:`workshop.worker` (one process
  per tab), :mod:`workshop.slots` (at most one run per core steps at once),
  :mod:`workshop.phases`, :mod:`workshop.story`;
* what it shows: :mod:`workshop.charts`, :mod:`workshop.comparison`,
  :mod:`workshop.regions`, :mod:`workshop.room`, :mod:`workshop.export`,
  :mod:`workshop.handout`, :mod:`workshop.assumptions`;
* the page (the modules that import Solara's widgets): :mod:`workshop.page`
  (the shell), :mod:`workshop.session`, :mod:`workshop.sidebar`, one
  ``tab_*`` module per screen, :mod:`workshop.dialogs`, :mod:`workshop.ui`,
  :mod:`workshop.filepick`, :mod:`workshop.style`;
* tools: :mod:`workshop.browser`, :mod:`workshop.bench` (``make bench-app``),
  :mod:`workshop.screenshots`.

Everything outside the page is plain Python and tested without a browser.
"""
