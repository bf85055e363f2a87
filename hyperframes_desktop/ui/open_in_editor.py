"""Open a file at a line in the user's editor: ``$VISUAL``/``$EDITOR``, else the desktop's
default application for the file.

Editors spell "go to line" differently; the common ones are known here. A terminal editor
(vim, nano …) is started inside a terminal window when one can be found, since the studio
itself has no terminal.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import threading
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from hyperframes_desktop.render import tools

#: ``editor +LINE FILE``
PLUS_LINE = frozenset(
    {
        "vi",
        "vim",
        "nvim",
        "gvim",
        "mvim",
        "view",
        "nano",
        "pico",
        "emacs",
        "emacsclient",
        "micro",
        "kak",
        "joe",
        "jed",
        "ne",
        "mcedit",
        "gedit",
        "gnome-text-editor",
        "xed",
        "pluma",
    }
)
#: ``editor -g FILE:LINE``
GOTO_FLAG = frozenset({"code", "code-insiders", "codium", "vscodium", "cursor", "windsurf"})
#: ``editor FILE:LINE``
COLON_LINE = frozenset({"subl", "sublime_text", "zed", "zeditor", "hx", "helix", "atom", "pulsar"})
#: ``editor --line LINE FILE``
LINE_FLAG = frozenset({"kate", "kwrite", "mousepad", "idea", "pycharm", "charm", "geany"})
#: editors that need a terminal to run in
TERMINAL_EDITORS = frozenset(
    {"vi", "vim", "nvim", "view", "nano", "pico", "micro", "kak", "joe", "jed", "ne", "mcedit"}
    | {"hx", "helix"}
)
_TERMINALS = ("x-terminal-emulator", "gnome-terminal", "konsole", "kitty", "alacritty", "xterm")


def _editor_name(program: str) -> str:
    name = Path(program).name.lower()
    return name.removesuffix(".exe")


def _terminal(env: Mapping[str, str]) -> list[str] | None:
    """The terminal command prefix that runs a program given after it, or None."""
    path = env.get("PATH", os.defpath)
    candidates = [env["TERMINAL"]] if env.get("TERMINAL") else []
    for name in [*candidates, *_TERMINALS]:
        found = shutil.which(name, path=path) if not os.path.isabs(name) else name
        if found and os.access(found, os.X_OK):
            return [found, "--"] if Path(found).name == "gnome-terminal" else [found, "-e"]
    return None


def editor_command(
    path: Path, line: int | None, env: Mapping[str, str] | None = None
) -> list[str] | None:
    """The command that opens ``path`` at ``line`` in ``$VISUAL`` (else ``$EDITOR``);
    None when neither is set. A terminal editor runs inside a terminal window when one is
    found (``$TERMINAL`` first)."""
    env = os.environ if env is None else env
    spec = (env.get("VISUAL") or env.get("EDITOR") or "").strip()
    if not spec:
        return None
    try:
        argv = shlex.split(spec)
    except ValueError:
        argv = [spec]
    if not argv:
        return None
    name = _editor_name(argv[0])
    file = str(path)
    if line is None:
        command = [*argv, file]
    elif name in PLUS_LINE:
        command = [*argv, f"+{line}", file]
    elif name in GOTO_FLAG:
        command = [*argv, "-g", f"{file}:{line}"]
    elif name in COLON_LINE:
        command = [*argv, f"{file}:{line}"]
    elif name in LINE_FLAG:
        command = [*argv, "--line", str(line), file]
    else:
        command = [*argv, file]
    if name in TERMINAL_EDITORS:
        terminal = _terminal(env)
        if terminal is not None:
            command = [*terminal, *command]
    return command


def open_in_editor(path: Path, line: int | None = None) -> str | None:
    """Open ``path`` (at ``line``); returns None on success, else a sentence saying why not."""
    if not path.exists():
        return f"{path.name} does not exist any more."
    command = editor_command(path, line)
    if command is not None:
        try:
            process = tools.launch(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            return (
                f"Cannot start the editor {command[0]!r} ({exc.strerror or exc}). "
                "Fix: set $VISUAL or $EDITOR to an installed editor."
            )
        # the editor is the user's and may outlive the studio; only reap it when it ends
        threading.Thread(target=process.wait, name="editor-reaper", daemon=True).start()
        return None
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return None
    return (
        f"No application opens {path.name}. Fix: set $VISUAL or $EDITOR to your editor, "
        "or choose a default application for HTML files."
    )
