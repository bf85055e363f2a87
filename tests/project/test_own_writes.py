"""Own writes are recognised by file version (inode, mtime, size, content), once: an editor
undo or a ``git checkout`` bringing back bytes the studio once wrote is a change to reload."""

import os
import subprocess

from hyperframes_desktop.project.own_writes import (
    forget_own_writes,
    is_own_write,
    record_own_write,
)
from hyperframes_desktop.project.timeline import atomic_write


def test_own_write_is_recognised_until_someone_else_writes(tmp_path):
    page = tmp_path / "index.html"
    page.write_bytes(b"<html>app</html>")
    assert not is_own_write(page)
    record_own_write(page, b"<html>app</html>")
    page.write_bytes(b"<html>editor</html>")
    assert not is_own_write(page)


def test_a_record_is_consumed_by_its_first_match(tmp_path):
    page = tmp_path / "index.html"
    atomic_write(page, b"<html>app</html>")
    assert is_own_write(page)
    assert not is_own_write(page)  # the same version reported again is not hidden twice


def test_editor_undo_back_to_the_studios_bytes_is_not_own(tmp_path):
    page = tmp_path / "index.html"
    page.write_bytes(b"<html>before</html>")
    atomic_write(page, b"<html>studio</html>")  # recorded; the watcher has not looked yet
    page.write_bytes(b"<html>editor</html>")  # the editor saves...
    os.utime(page, ns=(1_000_000_000, 1_000_000_000))
    tmp = tmp_path / "undo.tmp"
    tmp.write_bytes(b"<html>studio</html>")  # ...then undoes, the way editors save: replace
    os.replace(tmp, page)
    assert not is_own_write(page)


def test_git_checkout_of_the_studios_bytes_is_reported(tmp_path):
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "t@example.invalid")
    git("config", "user.name", "t")
    page = tmp_path / "index.html"
    page.write_bytes(b"<html>v1</html>")
    git("add", "index.html")
    git("commit", "-qm", "v1")
    atomic_write(page, b"<html>v1</html>\n<!-- studio -->")
    git("commit", "-qam", "studio")
    assert is_own_write(page)  # the studio's write, seen once
    page.write_bytes(b"<html>v2</html>")  # an editor or agent saves
    git("checkout", "-q", "HEAD", "--", "index.html")  # back to the bytes the studio wrote
    assert page.read_bytes() == b"<html>v1</html>\n<!-- studio -->"
    assert not is_own_write(page)


def test_forget_and_missing_file(tmp_path):
    page = tmp_path / "index.html"
    record_own_write(page, b"x")
    assert not is_own_write(page)  # never written: not the app's bytes on disk
    page.write_bytes(b"x")
    record_own_write(page, b"x")
    forget_own_writes()
    assert not is_own_write(page)
