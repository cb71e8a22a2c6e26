"""A settings file chosen by a click (or a tap) or dropped: one control for every device.

Solara's drop zone takes a dropped file only: a tablet cannot drop, and the
zone could not be clicked. This zone does both: a click opens the device's
file chooser, and a file dragged onto it is taken too. It reads one small
file and hands its bytes to ``on_file`` (its name and its content).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import solara
import traitlets
from ipyvuetify.extra import FileInput

MAX_BYTES = 100_000  # a settings file is a few hundred bytes


TEMPLATE = """
<template>
  <div ref="dropzone" class="ws-filepick" @click="$refs.picker.click()" role="button"
       tabindex="0" @keydown.enter="$refs.picker.click()">
    <input ref="picker" type="file" accept=".json,application/json" style="display: none"
           @click.stop @change="picked">
    <b>{{ label }}</b>
    <div v-if="hint" style="font-size: 12px; color: #666">{{ hint }}</div>
  </div>
</template>

<script>
module.exports = {
  mounted() {
    this.chunk_size = 1 * 1024 * 1024;
    this.$refs.dropzone.addEventListener('dragover', event => {
      event.preventDefault();
    });
    this.$refs.dropzone.addEventListener('drop', async event => {
      event.preventDefault();
      const files = [...event.dataTransfer.files].slice(0, 1);
      this.take(files);
    });
  },
  methods: {
    picked(event) {
      this.take([...event.target.files].slice(0, 1));
      event.target.value = '';
    },
    take(files) {
      this.native_file_info = files;
      this.file_info = files.map(({name, size}) => ({name, isFile: true, size}));
    },
    jupyter_clear() {
      this.native_file_info = [];
      this.file_info = [];
    },
    jupyter_read(chunk) {
      const {id, file_index, offset, length} = chunk;
      let to_do = length;
      let sub_offset = offset;
      (async () => {
        while (to_do > 0) {
          const sub_length = Math.min(to_do, this.chunk_size);
          const file = this.native_file_info[file_index];
          const blob = file.slice(sub_offset, sub_offset + sub_length);
          const buff = await blob.arrayBuffer();
          const msg = {id, file_index, offset: sub_offset, length: sub_length};
          this.upload(msg, [buff]);
          to_do -= sub_length;
          sub_offset += sub_length;
        }
      })();
    }
  }
}
</script>
"""


class FilePickZone(FileInput):
    """The widget: Solara's file-drop widget with a template that also opens a chooser."""

    template = traitlets.Unicode(TEMPLATE).tag(sync=True)
    label = traitlets.Unicode().tag(sync=True)
    hint = traitlets.Unicode().tag(sync=True)


@solara.component
def FilePick(label: str, hint: str, on_file: Callable[[dict[str, Any]], None]):
    """A zone to click or drop a file on; ``on_file`` gets ``{"name", "size", "data"}``.

    A file larger than :data:`MAX_BYTES` is handed over without its content
    (``data`` is None): whoever receives it says why it is refused.
    """
    info, set_info = solara.use_state(None)
    wired, set_wired = solara.use_state(None)
    zone = FilePickZone.element(label=label, hint=hint, on_file_info=set_info)

    def wire() -> None:  # on the render thread: the widget's files, once chosen
        if not info:
            return
        widget = solara.get_widget(zone)
        widget.version += 1
        widget.reset_stats()
        set_wired(widget.get_files())

    solara.use_effect(wire, [info])

    def take(cancel: threading.Event) -> None:  # in a thread: reading waits for the browser
        if not wired:
            return
        file = wired[0]
        data = file["file_obj"].read() if file["size"] <= MAX_BYTES else None
        on_file({"name": file["name"], "size": file["size"], "data": data})

    result = solara.use_thread(take, [wired])
    if result.error:
        raise result.error
    return zone
