from hyperframes_desktop.project.own_writes import (
    forget_own_writes,
    is_own_write,
    record_own_write,
)


def test_own_write_is_recognised_until_someone_else_writes(tmp_path):
    page = tmp_path / "index.html"
    page.write_bytes(b"<html>app</html>")
    assert not is_own_write(page)
    record_own_write(page, b"<html>app</html>")
    assert is_own_write(page)
    page.write_bytes(b"<html>editor</html>")
    assert not is_own_write(page)


def test_forget_and_missing_file(tmp_path):
    page = tmp_path / "index.html"
    record_own_write(page, b"x")
    assert not is_own_write(page)  # never written: not the app's bytes on disk
    page.write_bytes(b"x")
    assert is_own_write(page)
    forget_own_writes()
    assert not is_own_write(page)
